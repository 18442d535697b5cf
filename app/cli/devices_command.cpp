// matryx-cli devices [--check] [--json]: the OpenCL platforms and devices, their index for
// --device opencl:N / MATRYX_DEVICE, which one `auto` picks, and why OpenCL is not used if so.

#include "cli/commands.h"

#include "base/units.h"
#include "compute/opencl_context.h"
#include "compute/opencl_devices.h"
#include "compute/opencl_dequantize.h"
#include "tensor/dequantize.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace matryx::cli {

namespace {

struct DevicesOptions {
    bool check = false;
    bool json = false;
};

// Builds the kernels on the device and dequantizes a few Q4_K blocks there and on the CPU: "ok"
// with the time taken, or what failed.
std::string checkDevice(const OpenClDeviceInfo& info) {
    const auto start = std::chrono::steady_clock::now();
    auto context = OpenClContext::create(info);
    if (!context)
        return context.error().toString();
    std::vector<std::byte> src(144 * 16);
    for (size_t i = 0; i < src.size(); ++i)
        src[i] = std::byte((i * 37 + 11) & 0xbf); // bit 6 clear keeps every fp16 scale finite
    std::vector<float> cpu(256 * 16), device(256 * 16);
    if (Status s = dequantizeOpenCl(**context, TensorType::Q4_K, src, device); !s)
        return s.error().toString();
    if (Status s = dequantize(TensorType::Q4_K, src, cpu); !s)
        return s.error().toString();
    if (std::memcmp(cpu.data(), device.data(), cpu.size() * sizeof(float)) != 0)
        return "the device's result differs from the CPU's";
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char text[64];
    std::snprintf(text, sizeof text, "ok (kernels ready and checked in %.2f s)", seconds);
    return text;
}

std::string yesNo(bool value) { return value ? "yes" : "no"; }

int run(const DevicesOptions& options) {
    auto request = deviceRequestFromEnvironment();
    if (!request) {
        std::fprintf(stderr, "matryx-cli: %s\n", request.error().toString().c_str());
        return 2;
    }
    auto devices = listOpenClDevices();
    std::optional<unsigned> chosen;
    std::string cpuReason;
    if (request->kind == DeviceRequest::Kind::Cpu) {
        cpuReason = "MATRYX_DEVICE=cpu";
    } else if (!devices) {
        cpuReason = devices.error().toString();
    } else if (auto index = chooseOpenClDevice(*request, *devices)) {
        chosen = *index;
    } else {
        cpuReason = index.error().toString();
    }
    std::vector<std::string> checks;
    if (options.check && devices)
        for (const auto& d : *devices)
            checks.push_back(d.available ? checkDevice(d) : std::string("not available"));

    const std::string requestText = toString(*request);
    if (options.json) {
        nlohmann::ordered_json out;
        out["request"] = requestText;
        out["opencl_error"] = devices ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(devices.error().toString());
        auto& list = out["devices"] = nlohmann::ordered_json::array();
        if (devices)
            for (const auto& d : *devices) {
                nlohmann::ordered_json entry = {
                    {"index", d.index}, {"platform_index", d.platformIndex}, {"platform", d.platformName},
                    {"platform_vendor", d.platformVendor}, {"platform_version", d.platformVersion},
                    {"name", d.name}, {"vendor", d.vendor}, {"type", std::string(openClDeviceTypeName(d.type))},
                    {"version", d.version}, {"driver_version", d.driverVersion}, {"opencl_c", d.openClCVersion},
                    {"compute_units", d.computeUnits}, {"max_clock_mhz", d.maxClockMHz},
                    {"global_memory", d.globalMemBytes}, {"max_allocation", d.maxAllocBytes},
                    {"local_memory", d.localMemBytes}, {"max_work_group", d.maxWorkGroupSize}, {"fp16", d.fp16},
                    {"fp64", d.fp64}, {"denormals", d.denormals}, {"unified_memory", d.hostUnifiedMemory},
                    {"available", d.available}};
                if (!checks.empty())
                    entry["check"] = checks[d.index];
                list.push_back(std::move(entry));
            }
        out["chosen"] = chosen ? nlohmann::ordered_json(*chosen) : nlohmann::ordered_json(nullptr);
        out["cpu_reason"] = chosen ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(cpuReason);
        std::cout << out.dump(1) << '\n';
        return 0;
    }

    if (!devices) {
        std::printf("OpenCL: not usable: %s\n", devices.error().toString().c_str());
    } else if (devices->empty()) {
        std::printf("OpenCL: the installed platforms list no device\n");
    } else {
        unsigned platform = ~0u;
        for (const auto& d : *devices) {
            if (d.platformIndex != platform) {
                platform = d.platformIndex;
                std::printf("platform %u: %s (%s), %s\n", platform, d.platformName.c_str(), d.platformVendor.c_str(),
                            d.platformVersion.c_str());
            }
            std::printf("  opencl:%u  %s%s\n", d.index, d.name.c_str(), chosen && *chosen == d.index ? "  <- used" : "");
            std::printf("      %s, %s, driver %s, %s\n", std::string(openClDeviceTypeName(d.type)).c_str(),
                        d.version.c_str(), d.driverVersion.c_str(), d.openClCVersion.c_str());
            std::printf("      %u compute units, %s global memory (%s per buffer), %s local memory%s\n",
                        d.computeUnits, formatBytes(d.globalMemBytes).c_str(), formatBytes(d.maxAllocBytes).c_str(),
                        formatBytes(d.localMemBytes).c_str(), d.localMemDedicated ? "" : " (emulated)");
            std::printf("      fp16 %s, fp64 %s, denormals %s, shares host memory %s%s\n", yesNo(d.fp16).c_str(),
                        yesNo(d.fp64).c_str(), yesNo(d.denormals).c_str(), yesNo(d.hostUnifiedMemory).c_str(),
                        d.available ? "" : ", NOT AVAILABLE");
            if (!checks.empty())
                std::printf("      check: %s\n", checks[d.index].c_str());
        }
    }
    if (chosen)
        std::printf("\n%s uses opencl:%u (%s)\n", requestText.c_str(), *chosen, (*devices)[*chosen].name.c_str());
    else
        std::printf("\n%s uses the CPU: %s\n", requestText.c_str(), cpuReason.c_str());
    std::printf("choose with MATRYX_DEVICE=auto|cpu|opencl|opencl:N\n");
    return request->kind == DeviceRequest::Kind::OpenCl && !chosen ? 1 : 0;
}

} // namespace

Command addDevicesCommand(CLI::App& app) {
    auto options = std::make_shared<DevicesOptions>();
    auto* sub = app.add_subcommand("devices", "List OpenCL devices and show which one compute work uses");
    sub->add_flag("--check", options->check, "Build the kernels on every device and compare a result with the CPU");
    sub->add_flag("--json", options->json, "Print JSON");
    return [options] { return run(*options); };
}

} // namespace matryx::cli
