#include "compress/BitPacking.h"

namespace compresslab {

torch::Tensor packBits(const torch::Tensor &codes, int bits)
{
    const auto v = codes.reshape({-1}).to(torch::kLong);
    auto stream = torch::bitwise_and(torch::bitwise_right_shift(v.unsqueeze(1), torch::arange(bits, torch::kLong)), 1).reshape({-1});
    const int64_t pad = (8 - stream.numel() % 8) % 8;
    if (pad > 0)
        stream = torch::cat(std::vector<torch::Tensor>{stream, torch::zeros({pad}, torch::kLong)}, 0);
    return torch::bitwise_left_shift(stream.reshape({-1, 8}), torch::arange(8, torch::kLong)).sum(1).to(torch::kByte);
}

torch::Tensor unpackBits(const torch::Tensor &bytes, int bits, int64_t count)
{
    const auto b = bytes.reshape({-1}).to(torch::kLong);
    const auto stream = torch::bitwise_and(torch::bitwise_right_shift(b.unsqueeze(1), torch::arange(8, torch::kLong)), 1)
                            .reshape({-1}).narrow(0, 0, count * bits);
    return torch::bitwise_left_shift(stream.reshape({count, bits}), torch::arange(bits, torch::kLong)).sum(1).to(torch::kByte);
}

} // namespace compresslab
