#pragma once

// Llama-shaped models for plan and pipeline tests, built in memory. Only names, shapes and
// metadata are set: resolving a plan never reads tensor data.
//
//   token_embd.weight       {embd, 32}   F16
//   output_norm.weight      {embd}       F32
//   output.weight           {embd, 32}   F16   (left out when tied)
//   per block N:
//     blk.N.attn_norm.weight    {embd}        F32
//     blk.N.attn_q.weight       {embd, embd}  F16
//     blk.N.attn_k.weight       {embd, 64}    F16
//     blk.N.attn_v.weight       {embd, 64}    F16
//     blk.N.attn_output.weight  {embd, embd}  F16
//     blk.N.ffn_gate.weight     {embd, 2}     F16
//     blk.N.ffn_up.weight       {embd, 2}     F16
//     blk.N.ffn_down.weight     {ffDown, embd} F16  (rows of ffDown values)
//     blk.N.ffn_norm.weight     {embd}        F32

#include "format/model.h"
#include "tensor/tensor_type.h"

#include <cstdint>
#include <string>

namespace matryx::test {

struct PlanModelSpec {
    int blocks = 4;
    int64_t embd = 256;
    int64_t ffDown = 288; // not a multiple of 256: K-quants fall back
    bool tied = false;
};

inline Model planTestModel(const PlanModelSpec& spec = {}) {
    Model m;
    m.path = "plan-test.gguf";
    m.metadata.set("general.architecture", MetaValue::string("llama"));
    m.metadata.set("llama.block_count", MetaValue::u32(static_cast<uint32_t>(spec.blocks)));
    m.metadata.set("llama.attention.head_count", MetaValue::u32(4));
    m.metadata.set("llama.attention.head_count_kv", MetaValue::u32(4));
    m.metadata.set("general.file_type", MetaValue::u32(1));
    const auto add = [&](std::string name, TensorType type, std::vector<int64_t> shape) {
        TensorInfo t;
        t.name = std::move(name);
        t.type = type;
        t.shape = std::move(shape);
        t.bytes = bytesFor(type, t.elements()).value_or(0);
        m.tensors.push_back(std::move(t));
    };
    add("token_embd.weight", TensorType::F16, {spec.embd, 32});
    add("output_norm.weight", TensorType::F32, {spec.embd});
    if (!spec.tied) add("output.weight", TensorType::F16, {spec.embd, 32});
    for (int b = 0; b < spec.blocks; ++b) {
        const std::string p = "blk." + std::to_string(b) + ".";
        add(p + "attn_norm.weight", TensorType::F32, {spec.embd});
        add(p + "attn_q.weight", TensorType::F16, {spec.embd, spec.embd});
        add(p + "attn_k.weight", TensorType::F16, {spec.embd, 64});
        add(p + "attn_v.weight", TensorType::F16, {spec.embd, 64});
        add(p + "attn_output.weight", TensorType::F16, {spec.embd, spec.embd});
        add(p + "ffn_gate.weight", TensorType::F16, {spec.embd, 2});
        add(p + "ffn_up.weight", TensorType::F16, {spec.embd, 2});
        add(p + "ffn_down.weight", TensorType::F16, {spec.ffDown, spec.embd});
        add(p + "ffn_norm.weight", TensorType::F32, {spec.embd});
    }
    return m;
}

} // namespace matryx::test
