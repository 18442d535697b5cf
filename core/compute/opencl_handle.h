#pragma once

// Owning handles for OpenCL objects: each releases its object exactly once, moves but does not
// copy, and can be retained explicitly where two owners need the same object. An empty handle
// holds nullptr and releases nothing, so every early return on an error path cleans up.

#include "compute/opencl_api.h"

#include <utility>

namespace matryx {

template <class T, cl_int (*Retain)(T), cl_int (*Release)(T)>
class OpenClHandle {
public:
    OpenClHandle() = default;
    // Takes over one reference (what clCreate* returns).
    explicit OpenClHandle(T object) noexcept : object_(object) {}
    ~OpenClHandle() { reset(); }

    OpenClHandle(OpenClHandle&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
    OpenClHandle& operator=(OpenClHandle&& other) noexcept {
        if (this != &other) {
            reset();
            object_ = std::exchange(other.object_, nullptr);
        }
        return *this;
    }
    OpenClHandle(const OpenClHandle&) = delete;
    OpenClHandle& operator=(const OpenClHandle&) = delete;

    // A second owner of the same object (clRetain*); empty stays empty.
    OpenClHandle share() const noexcept {
        if (object_)
            Retain(object_);
        return OpenClHandle(object_);
    }

    void reset() noexcept {
        if (object_)
            Release(object_);
        object_ = nullptr;
    }

    T get() const noexcept { return object_; }
    explicit operator bool() const noexcept { return object_ != nullptr; }

private:
    T object_ = nullptr;
};

using ClContext = OpenClHandle<cl_context, clRetainContext, clReleaseContext>;
using ClQueue = OpenClHandle<cl_command_queue, clRetainCommandQueue, clReleaseCommandQueue>;
using ClProgram = OpenClHandle<cl_program, clRetainProgram, clReleaseProgram>;
using ClKernel = OpenClHandle<cl_kernel, clRetainKernel, clReleaseKernel>;
using ClBuffer = OpenClHandle<cl_mem, clRetainMemObject, clReleaseMemObject>;
using ClEvent = OpenClHandle<cl_event, clRetainEvent, clReleaseEvent>;

} // namespace matryx
