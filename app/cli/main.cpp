// matryx-cli: inspect and convert model files from a terminal.

#include "cli/commands.h"

#include <CLI/CLI.hpp>

#include <map>
#include <string>

int main(int argc, char** argv) {
    CLI::App app{"Matryx: inspect, convert and quantize LLM model files (GGUF, safetensors, "
                 "Hugging Face folders)",
                 "matryx-cli"};
    app.set_version_flag("--version", std::string("matryx-cli ") + MATRYX_VERSION);
    app.require_subcommand(1);

    std::map<std::string, matryx::cli::Command> commands;
    commands["info"] = matryx::cli::addInfoCommand(app);
    commands["tensors"] = matryx::cli::addTensorsCommand(app);
    commands["convert"] = matryx::cli::addConvertCommand(app);
    commands["devices"] = matryx::cli::addDevicesCommand(app);
    commands["stats"] = matryx::cli::addStatsCommand(app);
    commands["plan"] = matryx::cli::addPlanCommand(app);
    commands["quantize"] = matryx::cli::addQuantizeCommand(app);
    commands["slice"] = matryx::cli::addSliceCommand(app);
    commands["generate"] = matryx::cli::addGenerateCommand(app);
    commands["chat"] = matryx::cli::addChatCommand(app);
    commands["perplexity"] = matryx::cli::addPerplexityCommand(app);
    commands["kld"] = matryx::cli::addKldCommand(app);
    commands["imatrix"] = matryx::cli::addImatrixCommand(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    for (const auto* sub : app.get_subcommands())
        return commands.at(sub->get_name())();
    return 0;
}
