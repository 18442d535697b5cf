#include "base/progress.h"

namespace matryx {

bool Progress::report(double fraction, std::string_view stage) {
    onReport(fraction, stage);
    return !cancelled();
}

Progress& Progress::none() {
    // Never cancelled: nobody holds a reference that could call cancel() on purpose.
    static Progress sink;
    return sink;
}

} // namespace matryx
