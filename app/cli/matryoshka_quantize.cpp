#include "cli/matryoshka_quantize.h"

#include "base/units.h"
#include "cli/cli_support.h"
#include "quant/matryoshka_export.h"
#include "quant/matryoshka_writer.h"

#include <chrono>
#include <cstdio>
#include <iostream>

namespace matryx::cli {

namespace {

// One line per width: slice, export and round-to-nearest RMSE, and the slice's ratio to the latter.
void printWidths(const MatryoshkaErrors& e, const char* label) {
    for (const auto& w : e.widths) {
        const double slice = e.rmse(w.sliceSse), exported = e.rmse(w.exportSse), nearest = e.rmse(w.nearestSse);
        const auto row = matryoshkaExport(w.bits);
        std::printf("%-40s %4d  %-6s %-7s %12.4e %12.4e %12.4e %7.3f\n", label, w.bits,
                    std::string(typeName(w.exportType)).c_str(),
                    row && row->exact && row->type == w.exportType ? "exact" : "requant", slice, exported, nearest,
                    nearest > 0 ? slice / nearest : 1.0);
        label = "";
    }
}

void printReport(const MatryoshkaReport& report, bool verbose) {
    std::printf("%-40s %4s  %-6s %-7s %12s %12s %12s %7s\n", "tensor", "bits", "export", "", "slice RMSE",
                "export RMSE", "RTN RMSE", "slc/RTN");
    if (verbose)
        for (const auto& t : report.nested)
            printWidths(t.errors, t.name.c_str());
    printWidths(report.total(), verbose ? "(all nested tensors)" : "(all nested tensors; --verbose: each)");
}

} // namespace

int runMatryoshkaQuantize(const MatryoshkaCliOptions& o) {
    auto model = openOrReport(o.input);
    if (!model) return kExitBadInput;
    if (model->format != ModelFormat::Gguf) {
        std::cerr << "matryx-cli: " << o.input << " is " << modelFormatName(model->format)
                  << "; quantize reads GGUF: convert it first with matryx-cli convert IN model.gguf\n";
        return kExitFailure;
    }
    MatryoshkaOptions options;
    options.overwrite = o.force ? Overwrite::Yes : Overwrite::No;
    options.threads = o.threads;
    options.device = o.device;
    StderrProgress progress(!o.quiet);
    const auto start = std::chrono::steady_clock::now();
    auto report = writeMatryoshkaModel(*model, o.output, options, progress);
    if (!report) {
        std::cerr << "matryx-cli: " << report.error().toString() << '\n';
        return kExitFailure;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    printReport(*report, o.verbose);
    if (report->requantized > 0)
        std::fprintf(stderr,
                     "note: %zu nested tensors were already quantized; they were dequantized first, so the "
                     "errors above are against the dequantized values and add to the source's\n",
                     report->requantized);
    if (!o.quiet) {
        std::fprintf(stderr, "wrote %s (%s): %zu tensors nested, %zu carried, in %.1f s\n", o.output.c_str(),
                     formatBytes(report->fileBytes).c_str(), report->nested.size(), report->carried, seconds);
        if (report->onDevice > 0)
            std::fprintf(stderr, "%zu tensors nested on %s\n", report->onDevice, o.device->description().c_str());
    }
    return 0;
}

} // namespace matryx::cli
