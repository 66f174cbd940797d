#include "compress/Int8Ops.h"

#include <ATen/native/quantized/PackedParams.h>

#include <typeinfo>

#include <ATen/core/dispatch/Dispatcher.h>

namespace compresslab {

// quantized::linear_prepack(Tensor W (qint8), Tensor? B) -> LinearPackedParamsBase, called boxed so
// we need no private ATen headers for the packed type.
c10::IValue prepackInt8Linear(const torch::Tensor &weight, const c10::optional<torch::Tensor> &bias)
{
    const auto w = weight.detach().to(torch::kFloat).contiguous();
    // Symmetric per-channel int8: scale = max|w| / 127 per output row (never 0), zero point 0.
    const auto scales = (w.abs().amax(1) / 127.0).clamp_min(1e-12).to(torch::kDouble);
    const auto zeros = torch::zeros({w.size(0)}, torch::kLong);
    const auto q = at::quantize_per_channel(w, scales, zeros, 0, torch::kQInt8);
    static const auto op = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_prepack", "");
    torch::jit::Stack stack{q, bias ? c10::IValue(bias->detach().to(torch::kFloat).contiguous()) : c10::IValue()};
    op.callBoxed(&stack);
    return stack.back();
}

torch::Tensor runInt8Linear(const torch::Tensor &x, const c10::IValue &packed)
{
    static const auto op = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_dynamic", "");
    torch::jit::Stack stack{x, packed, false};
    op.callBoxed(&stack);
    return stack.back().toTensor();
}

QString packedEngineOf(const c10::IValue &value)
{
    if (!value.isObject() || !value.toObject()->type()->name() ||
        value.toObject()->type()->name()->qualifiedName() != "__torch__.torch.classes.quantized.LinearPackedParamsBase")
        return {};
    const auto packed = value.toCustomClass<LinearPackedParamsBase>();
    // The concrete class is private to ATen; its name says which kernels it holds.
    const std::string type = typeid(*packed).name();
    for (const auto &[marker, engine] : {std::pair{"Qnnp", "qnnpack"}, {"Onednn", "onednn"}, {"Mkldnn", "onednn"}, {"Fbgemm", "fbgemm"}})
        if (type.find(marker) != std::string::npos)
            return QString::fromLatin1(engine);
    return QString::fromStdString(type);
}

} // namespace compresslab
