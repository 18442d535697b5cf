// f32 -> Q4_K and Q6_K super-blocks of 256 values, one work-item per super-block, without
// importance (ggml's quantize_row_q4_K_ref / q6_K_ref) or with it (the weighted searches of
// quantize_row_q4_K_impl / q6_K_impl). The searches repeat tensor/quantize_search.cpp operation
// by operation, because which candidate scale wins depends on every rounding.
//
// Importance is one weight per column: a block's weights start at column block
// (first_column_block + b) % blocks_per_row; blocks_per_row 0 means no importance.

#define QK_K 256

// make_qkx2_quants (squared error) and, with `clamped`, make_qkx3_quants: levels 0..nmax and a
// minimum for one group of n values. Returns the scale; *neg_min receives the minimum, negated.
inline float affine_scale(int n, int nmax, const float* x, const float* w, uchar* L, float* neg_min,
                          float rmin, float rdelta, int nstep, bool clamped) {
    uchar Laux[32];
    float min = x[0], max = x[0];
    float sum_w = w[0];
    float sum_x = sum_w * x[0];
    for (int i = 1; i < n; ++i) {
        if (x[i] < min)
            min = x[i];
        if (x[i] > max)
            max = x[i];
        sum_w += w[i];
        sum_x += w[i] * x[i];
    }
    if (min > 0)
        min = 0;
    if (clamped ? max <= min : max == min) {
        for (int i = 0; i < n; ++i)
            L[i] = 0;
        *neg_min = -min;
        return 0.0f;
    }
    float iscale = (float)nmax / (max - min);
    float scale = 1 / iscale;
    float best_error = 0;
    for (int i = 0; i < n; ++i) {
        const int l = nearest_int(iscale * (x[i] - min));
        L[i] = (uchar)(0 > (nmax < l ? nmax : l) ? 0 : (nmax < l ? nmax : l));
        const float diff = scale * (float)L[i] + min - x[i];
        best_error += w[i] * (diff * diff);
    }
    for (int step = 0; step <= nstep; ++step) {
        iscale = (rmin + rdelta * (float)step + (float)nmax) / (max - min);
        float sum_l = 0, sum_l2 = 0, sum_xl = 0;
        for (int i = 0; i < n; ++i) {
            int l;
            if (clamped) {
                // The best minimum so far may sit at or near max: v can be huge, infinite or NaN.
                const float v = iscale * (x[i] - min);
                l = v > 0 ? nearest_int(v < (float)nmax ? v : (float)nmax) : 0;
            } else {
                const int r = nearest_int(iscale * (x[i] - min));
                l = 0 > (nmax < r ? nmax : r) ? 0 : (nmax < r ? nmax : r);
            }
            Laux[i] = (uchar)(l & 0xff);
            sum_l += w[i] * (float)l;
            sum_l2 += w[i] * (float)l * (float)l;
            sum_xl += w[i] * (float)l * x[i];
        }
        const float D = sum_w * sum_l2 - sum_l * sum_l;
        if (D > 0) {
            float this_scale = (sum_w * sum_xl - sum_x * sum_l) / D;
            float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D;
            if (this_min > 0) {
                this_min = 0;
                this_scale = sum_xl / sum_l2;
            }
            float cur_error = 0;
            for (int i = 0; i < n; ++i) {
                const float diff = this_scale * (float)Laux[i] + this_min - x[i];
                cur_error += w[i] * (diff * diff);
            }
            if (cur_error < best_error) {
                for (int i = 0; i < n; ++i)
                    L[i] = Laux[i];
                best_error = cur_error;
                scale = this_scale;
                min = this_min;
            }
        }
    }
    *neg_min = -min;
    return scale;
}

// make_qp_quants: levels 0..nmax for the eight non-negative sub-block scales (or minimums).
inline float positive_scale(int nmax, const float* x, uchar* L, const float* w) {
    const int n = 8;
    float max = 0;
    for (int i = 0; i < n; ++i)
        max = max > x[i] ? max : x[i];
    if (max < GROUP_MAX_EPS) {
        for (int i = 0; i < n; ++i)
            L[i] = 0;
        return 0.0f;
    }
    float iscale = (float)nmax / max;
    for (int i = 0; i < n; ++i)
        L[i] = (uchar)(as_uint(nearest_int(iscale * x[i])) & 0xffu);
    const float scale = 1 / iscale;
    float best_mse = 0;
    for (int i = 0; i < n; ++i) {
        const float diff = x[i] - scale * (float)L[i];
        best_mse += w[i] * diff * diff;
    }
    for (int step = -4; step <= 4; ++step) {
        if (step == 0)
            continue;
        const float iscale_step = (0.1f * (float)step + (float)nmax) / max;
        const float scale_step = 1 / iscale_step;
        float mse = 0;
        for (int i = 0; i < n; ++i) {
            const int r = nearest_int(iscale_step * x[i]);
            const int l = nmax < r ? nmax : r;
            const float diff = x[i] - scale_step * (float)l;
            mse += w[i] * diff * diff;
        }
        if (mse < best_mse) {
            best_mse = mse;
            iscale = iscale_step;
        }
    }
    float sumlx = 0, suml2 = 0;
    for (int i = 0; i < n; ++i) {
        const int r = nearest_int(iscale * x[i]);
        const int l = nmax < r ? nmax : r;
        L[i] = (uchar)(as_uint(l) & 0xffu);
        sumlx += w[i] * x[i] * (float)l;
        suml2 += w[i] * (float)l * (float)l;
    }
    for (int round = 0; round < 5; ++round) {
        int changed = 0;
        for (int i = 0; i < n; ++i) {
            const float wi = w[i];
            float slx = sumlx - wi * x[i] * (float)L[i];
            float sl2 = suml2 - wi * (float)L[i] * (float)L[i];
            if (slx > 0 && sl2 > 0) {
                const int r = nearest_int(x[i] * sl2 / slx);
                const int l = nmax < r ? nmax : r;
                if (l != (int)L[i]) {
                    slx += wi * x[i] * (float)l;
                    sl2 += wi * (float)l * (float)l;
                    if (slx * slx * suml2 > sumlx * sumlx * sl2) {
                        L[i] = (uchar)(as_uint(l) & 0xffu);
                        sumlx = slx;
                        suml2 = sl2;
                        ++changed;
                    }
                }
            }
        }
        if (!changed)
            break;
    }
    return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
}

inline const __global float* block_importance(const __global float* importance, uint blocks_per_row,
                                              uint first_column_block, uint b) {
    if (blocks_per_row == 0u)
        return 0;
    return importance + (size_t)((first_column_block + b) % blocks_per_row) * QK_K;
}

__kernel void quantize_q4_K(const __global float* src, __global uchar* dst, uint blocks,
                            const __global float* importance, uint blocks_per_row, uint first_column_block) {
    const uint b = get_global_id(0);
    if (b >= blocks)
        return;
    const __global float* xg = src + (size_t)b * QK_K;
    __global uchar* y = dst + (size_t)b * 144u;
    const __global float* qw = block_importance(importance, blocks_per_row, first_column_block, b);

    float x[QK_K];
    for (int i = 0; i < QK_K; ++i)
        x[i] = xg[i];
    float weights[32], scales[8], mins[8], sw[8];
    uchar L[QK_K];
    float sigma2 = 0;
    if (qw) {
        float sum = 0;
        for (int i = 0; i < QK_K; ++i)
            sum += x[i] * x[i];
        sigma2 = 2 * sum / (float)QK_K;
    }
    for (int j = 0; j < 8; ++j) {
        const float* xs = x + 32 * j;
        if (qw) {
            for (int l = 0; l < 32; ++l)
                weights[l] = qw[32 * j + l] * sqrt(sigma2 + xs[l] * xs[l]);
            float sum = 0;
            for (int l = 0; l < 32; ++l)
                sum += weights[l];
            sw[j] = sum;
            scales[j] = affine_scale(32, 15, xs, weights, L + 32 * j, &mins[j], -0.9f, 0.05f, 36, true);
        } else {
            float sum = 0;
            for (int l = 0; l < 32; ++l)
                sum += xs[l] * xs[l];
            const float av_x = sqrt(sum / 32);
            for (int l = 0; l < 32; ++l)
                weights[l] = av_x + fabs(xs[l]);
            scales[j] = affine_scale(32, 15, xs, weights, L + 32 * j, &mins[j], -1.0f, 0.1f, 20, false);
        }
    }

    uchar Ls[8], Lm[8];
    uint hd, hm;
    if (!qw) {
        float max_scale = 0, max_min = 0;
        for (int j = 0; j < 8; ++j) {
            if (scales[j] > max_scale)
                max_scale = scales[j];
            if (mins[j] > max_min)
                max_min = mins[j];
        }
        const float inv_scale = max_scale > 0 ? 63.0f / max_scale : 0.0f;
        const float inv_min = max_min > 0 ? 63.0f / max_min : 0.0f;
        for (int j = 0; j < 8; ++j) {
            const int ls = (int)(as_uint(nearest_int(inv_scale * scales[j])) & 0xffu);
            const int lm = (int)(as_uint(nearest_int(inv_min * mins[j])) & 0xffu);
            Ls[j] = (uchar)(ls < 63 ? ls : 63);
            Lm[j] = (uchar)(lm < 63 ? lm : 63);
        }
        hd = f32_to_fp16_bits(max_scale / 63.0f);
        hm = f32_to_fp16_bits(max_min / 63.0f);
    } else {
        // Q4_K stores these levels unclamped, as ggml does.
        hd = f32_to_fp16_bits(positive_scale(63, scales, Ls, sw));
        hm = f32_to_fp16_bits(positive_scale(63, mins, Lm, sw));
    }
    store_u16(y, hd);
    store_u16(y + 2, hm);

    // Eight 6-bit scales and minimums in 12 bytes (ggml-common.h's get_scale_min_k4 layout).
    uchar q[12];
    for (int j = 0; j < 8; ++j) {
        if (j < 4) {
            q[j] = Ls[j];
            q[j + 4] = Lm[j];
        } else {
            q[j + 4] = (uchar)((Ls[j] & 0xf) | ((Lm[j] & 0xf) << 4));
            q[j - 4] |= (uchar)((Ls[j] >> 4) << 6);
            q[j] |= (uchar)((Lm[j] >> 4) << 6);
        }
    }
    for (int j = 0; j < 12; ++j)
        y[4 + j] = q[j];

    // Levels against the scales the file holds; a group whose scale rounds to zero keeps its own.
    const float d = fp16_to_f32(hd);
    const float dmin = fp16_to_f32(hm);
    for (int j = 0; j < 8; ++j) {
        uint sc, m;
        if (j < 4) {
            sc = q[j] & 63u;
            m = q[j + 4] & 63u;
        } else {
            sc = (q[j + 4] & 0xfu) | ((q[j - 4] >> 6) << 4);
            m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
        }
        const float dl = d * (float)sc;
        if (dl == 0.0f)
            continue;
        const float ml = dmin * (float)m;
        for (int i = 0; i < 32; ++i) {
            const int l = nearest_int((x[32 * j + i] + ml) / dl);
            L[32 * j + i] = (uchar)(0 > (15 < l ? 15 : l) ? 0 : (15 < l ? 15 : l));
        }
    }
    __global uchar* qs = y + 16;
    for (int j = 0; j < QK_K; j += 64, qs += 32)
        for (int l = 0; l < 32; ++l)
            qs[l] = (uchar)(L[j + l] | (L[j + l + 32] << 4));
}

// make_qx_quants (rmse_type 1) for one group of 16 with nmax 32: levels 0..63 (offset by 32) in L.
// Weights are the importance where given, else x^2.
inline float symmetric_scale16(const float* x, char* L, const __global float* qw) {
    const int n = 16, nmax = 32;
    float max = 0, amax = 0;
    for (int i = 0; i < n; ++i) {
        const float ax = fabs(x[i]);
        if (ax > amax) {
            amax = ax;
            max = x[i];
        }
    }
    if (amax < GROUP_MAX_EPS || max == 0.0f) {
        for (int i = 0; i < n; ++i)
            L[i] = 0;
        return 0.0f;
    }
    float iscale = (float)(-nmax) / max;
    float sumlx = 0, suml2 = 0;
    for (int i = 0; i < n; ++i) {
        const int r = nearest_int(iscale * x[i]);
        const int l = -nmax > (nmax - 1 < r ? nmax - 1 : r) ? -nmax : (nmax - 1 < r ? nmax - 1 : r);
        L[i] = (char)(l + nmax);
        const float w = qw ? qw[i] : x[i] * x[i];
        sumlx += w * x[i] * (float)l;
        suml2 += w * (float)l * (float)l;
    }
    float scale = suml2 != 0.0f ? sumlx / suml2 : 0.0f;
    float best = scale * sumlx;
    for (int step = -9; step <= 9; ++step) {
        if (step == 0)
            continue;
        iscale = -((float)nmax + 0.1f * (float)step) / max;
        sumlx = suml2 = 0;
        for (int i = 0; i < n; ++i) {
            const int r = nearest_int(iscale * x[i]);
            const int l = -nmax > (nmax - 1 < r ? nmax - 1 : r) ? -nmax : (nmax - 1 < r ? nmax - 1 : r);
            const float w = qw ? qw[i] : x[i] * x[i];
            sumlx += w * x[i] * (float)l;
            suml2 += w * (float)l * (float)l;
        }
        if (suml2 > 0 && sumlx * sumlx > best * suml2) {
            for (int i = 0; i < n; ++i) {
                const int r = nearest_int(iscale * x[i]);
                L[i] = (char)(nmax + (-nmax > (nmax - 1 < r ? nmax - 1 : r) ? -nmax : (nmax - 1 < r ? nmax - 1 : r)));
            }
            scale = sumlx / suml2;
            best = scale * sumlx;
        }
    }
    return scale;
}

__kernel void quantize_q6_K(const __global float* src, __global uchar* dst, uint blocks,
                            const __global float* importance, uint blocks_per_row, uint first_column_block) {
    const uint b = get_global_id(0);
    if (b >= blocks)
        return;
    const __global float* xg = src + (size_t)b * QK_K;
    __global uchar* y = dst + (size_t)b * 210u;
    const __global float* qw = block_importance(importance, blocks_per_row, first_column_block, b);

    float x[QK_K];
    for (int i = 0; i < QK_K; ++i)
        x[i] = xg[i];
    char L[QK_K];
    float scales[16];
    for (int j = 0; j < 16; ++j)
        scales[j] = symmetric_scale16(x + 16 * j, L + 16 * j, qw ? qw + 16 * j : 0);
    float max_scale = 0, max_abs_scale = 0;
    for (int j = 0; j < 16; ++j) {
        if (fabs(scales[j]) > max_abs_scale) {
            max_abs_scale = fabs(scales[j]);
            max_scale = scales[j];
        }
    }
    if (max_abs_scale < GROUP_MAX_EPS) {
        for (int i = 0; i < 210; ++i)
            y[i] = 0;
        return;
    }
    const float iscale = -128.0f / max_scale;
    const float d = store_fp16(y + 208, 1 / iscale);
    char sc[16];
    for (int j = 0; j < 16; ++j) {
        const int r = nearest_int(iscale * scales[j]);
        sc[j] = (char)low_byte_signed(r < 127 ? r : 127);
        y[192 + j] = as_uchar(sc[j]);
    }
    for (int j = 0; j < 16; ++j) {
        const float dl = d * (float)sc[j];
        if (dl == 0.0f)
            continue;
        for (int i = 0; i < 16; ++i) {
            const int r = nearest_int(x[16 * j + i] / dl);
            L[16 * j + i] = (char)((-32 > (31 < r ? 31 : r) ? -32 : (31 < r ? 31 : r)) + 32);
        }
    }
    __global uchar* ql = y;
    __global uchar* qh = y + 128;
    for (int j = 0; j < QK_K; j += 128, ql += 64, qh += 32) {
        for (int l = 0; l < 32; ++l) {
            const int a = L[j + l], c2 = L[j + l + 32], c = L[j + l + 64], e = L[j + l + 96];
            ql[l] = (uchar)(((a & 0xf) | ((c & 0xf) << 4)) & 0xff);
            ql[l + 32] = (uchar)(((c2 & 0xf) | ((e & 0xf) << 4)) & 0xff);
            qh[l] = (uchar)(((a >> 4) | ((c2 >> 4) << 2) | ((c >> 4) << 4) | ((e >> 4) << 6)) & 0xff);
        }
    }
}
