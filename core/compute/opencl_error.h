#pragma once

// OpenCL status codes as errors a user can read: every failing cl* call becomes an Error whose
// file is "<opencl>", whose field names the call and whose message carries the code's name
// ("clBuildProgram: CL_BUILD_PROGRAM_FAILURE (-11)").

#include "base/error.h"
#include "compute/opencl_api.h"

#include <string>
#include <string_view>

namespace matryx {

// "CL_OUT_OF_RESOURCES" for -5; "CL_PLATFORM_NOT_FOUND_KHR" for -1001; "unknown OpenCL error"
// for codes no header names.
std::string_view openClErrorName(cl_int code) noexcept;

// An Error for a failed call: what = the call or step ("clCreateBuffer (source)"), detail is
// appended to the message when not empty.
Error openClError(std::string_view what, cl_int code, std::string_view detail = {});

// An Error about OpenCL that has no status code (no device matches, a kernel is missing).
Error openClProblem(std::string_view what, std::string message);

} // namespace matryx
