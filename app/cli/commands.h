#pragma once

// Each subcommand registers its options on the CLI11 app and runs when chosen.

#include <functional>

namespace CLI {
class App;
}

namespace matryx::cli {

// Adds the subcommand; the returned function runs it and gives the exit code.
using Command = std::function<int()>;

Command addInfoCommand(CLI::App& app);
Command addTensorsCommand(CLI::App& app);
Command addConvertCommand(CLI::App& app);
Command addDevicesCommand(CLI::App& app);
Command addStatsCommand(CLI::App& app);
Command addPlanCommand(CLI::App& app);
Command addQuantizeCommand(CLI::App& app);
Command addSliceCommand(CLI::App& app);
Command addGenerateCommand(CLI::App& app);
Command addChatCommand(CLI::App& app);
Command addPerplexityCommand(CLI::App& app);
Command addKldCommand(CLI::App& app);
Command addImatrixCommand(CLI::App& app);

} // namespace matryx::cli
