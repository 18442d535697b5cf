"""ggml itself, as llama-cpp-python ships it (libggml-base), reached through ctypes.

The reference scripts in this folder compare Matryx with this library: its type traits and row
converters (to_float), its f32 -> f16/bf16 row conversions, and ggml_quantize_chunk, the function
llama-quantize calls for every tensor.
"""

import ctypes
import importlib.util
from pathlib import Path


class TypeTraits(ctypes.Structure):
    """struct ggml_type_traits as ggml.h declares it in the llama.cpp that llama-cpp-python ships."""
    _fields_ = [("type_name", ctypes.c_char_p), ("blck_size", ctypes.c_int64),
                ("blck_size_interleave", ctypes.c_int64), ("type_size", ctypes.c_size_t),
                ("is_quantized", ctypes.c_bool), ("to_float", ctypes.c_void_p),
                ("from_float_ref", ctypes.c_void_p)]


ROW_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64)


def load_ggml():
    """(library, its path), or (None, why not) when llama-cpp-python or libggml-base is missing."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return None, "llama-cpp-python is not installed"
    libdir = Path(list(spec.submodule_search_locations)[0]) / "lib"
    libs = sorted(libdir.glob("libggml-base.so*")) + sorted(libdir.glob("libggml-base*.dylib"))
    if not libs:
        return None, f"no libggml-base in {libdir}"
    lib = ctypes.CDLL(str(libs[0]))
    lib.ggml_get_type_traits.restype = ctypes.POINTER(TypeTraits)
    lib.ggml_get_type_traits.argtypes = [ctypes.c_int]
    lib.ggml_quantize_chunk.restype = ctypes.c_size_t
    lib.ggml_quantize_chunk.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
                                        ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p]
    lib.ggml_row_size.restype = ctypes.c_size_t
    lib.ggml_row_size.argtypes = [ctypes.c_int, ctypes.c_int64]
    lib.ggml_quantize_requires_imatrix.restype = ctypes.c_bool
    lib.ggml_quantize_requires_imatrix.argtypes = [ctypes.c_int]
    return lib, str(libs[0])


def type_traits(lib, type_id):
    return lib.ggml_get_type_traits(type_id).contents


def quantize_chunk(lib, type_id, rows, imatrix=None):
    """ggml_quantize_chunk over a C-contiguous float32 array of shape (nrows, n_per_row); the
    imatrix, if given, is float32 of length n_per_row. Returns the bytes as a uint8 array."""
    import numpy as np
    rows = np.ascontiguousarray(rows, dtype=np.float32)
    nrows, n_per_row = rows.shape
    out = np.zeros(nrows * lib.ggml_row_size(type_id, n_per_row), dtype=np.uint8)
    weights = None
    if imatrix is not None:
        weights = np.ascontiguousarray(imatrix, dtype=np.float32)
        assert weights.shape == (n_per_row,)
    written = lib.ggml_quantize_chunk(type_id, rows.ctypes.data, out.ctypes.data, 0, nrows, n_per_row,
                                      None if weights is None else weights.ctypes.data)
    assert written == out.size, (written, out.size)
    return out


def quantize_row_ref(lib, name, type_id, rows):
    """quantize_row_<name>_ref over a float32 array of shape (nrows, n_per_row), for the types
    ggml_quantize_chunk does not handle (Q8_K). Returns the bytes as a uint8 array."""
    import numpy as np
    rows = np.ascontiguousarray(rows, dtype=np.float32)
    nrows, n_per_row = rows.shape
    out = np.zeros(nrows * lib.ggml_row_size(type_id, n_per_row), dtype=np.uint8)
    fn = getattr(lib, f"quantize_row_{name}_ref")
    fn.restype = None
    fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
    fn(rows.ctypes.data, out.ctypes.data, rows.size)
    return out
