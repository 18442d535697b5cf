#pragma once

// The one place that includes the OpenCL headers: the host code is written against the
// OpenCL 1.2 API (what PoCL, NVIDIA, AMD and Intel all provide), so newer entry points cannot
// slip in by accident.

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif

#include <CL/cl.h>
#include <CL/cl_ext.h> // CL_PLATFORM_NOT_FOUND_KHR, what the ICD loader returns without a platform
