#include "compress/Int8Kernels.h"

#include "common/UserError.h"
#include "compress/GraphTools.h"
#include "compress/Int8Ops.h"
#include "model/ModelImpl.h"
#include "runtime/RuntimeInfo.h"

#include <ATen/core/dispatch/Dispatcher.h>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QString attributeName(const QString &path)
{
    return u"_int8_"_s + QString(path).replace(u'.', u'_');
}

} // namespace

Int8Conversion convertLinearsToInt8(const Model &model, const QStringList &layers, const QString &engine)
{
    configureRuntime(0, engine); // prepacking is engine-specific
    Model::Impl &source = model.impl();
    torch::NoGradGuard noGrad;
    torch::jit::Module inner;
    {
        std::lock_guard<std::mutex> lock(source.runMutex);
        // New class types (the rewrite never touches the source's), same tensors: clone() without
        // `inplace` copies every tensor separately and would untie tied weights.
        inner = source.module.clone(/*inplace=*/true);
    }
    inner.eval();
    auto graph = inlinedForward(inner);
    const std::vector<LinearCall> calls = findLinearCalls(*graph);

    // A new root owns the original as `model`; its forward is the rewritten graph.
    torch::jit::Module root("__torch__.compresslab.Int8Model");
    root.register_module("model", inner);
    torch::jit::Value *newSelf = rerootUnder(*graph, root);

    Int8Conversion result;
    const QHash<QString, torch::jit::Module> modules = modulesByPath(inner);
    for (const LinearCall &call : calls) {
        if (!layers.isEmpty() && !layers.contains(call.modulePath))
            continue;
        const torch::jit::Module linear = modules.value(call.modulePath);
        const torch::Tensor weight = linear.attr("weight").toTensor();
        if (weight.dim() != 2) {
            result.skipped << call.modulePath;
            result.notes << u"%1: weight is not 2-D; left in fp32"_s.arg(call.modulePath);
            continue;
        }
        c10::optional<torch::Tensor> bias;
        if (linear.hasattr("bias") && linear.attr("bias").isTensor())
            bias = linear.attr("bias").toTensor();
        const QString name = attributeName(call.modulePath);
        if (root.hasattr(name.toStdString()))
            continue; // a layer called twice shares one packed weight
        c10::IValue packed;
        try {
            packed = prepackInt8Linear(weight, bias);
        } catch (const std::exception &e) {
            result.skipped << call.modulePath;
            result.notes << u"%1: the int8 engine refused it (%2); left in fp32"_s.arg(call.modulePath,
                                                                                     QString::fromStdString(e.what()).section(u'\n', 0, 0));
            continue;
        }
        root.register_attribute(name.toStdString(), packed.type(), packed);
        result.converted << call.modulePath;
    }
    // Rewrite the calls (a second pass: all attributes exist on the root type now).
    for (const LinearCall &call : calls) {
        if (!result.converted.contains(call.modulePath))
            continue;
        torch::jit::WithInsertPoint guard(call.node);
        torch::jit::Value *packed = graph->insertGetAttr(newSelf, attributeName(call.modulePath).toStdString());
        torch::jit::Value *y = graph->insert(c10::Symbol::fromQualString("quantized::linear_dynamic"), {call.node->input(0), packed});
        call.node->output()->replaceAllUsesWith(y);
        call.node->destroy();
    }
    std::vector<torch::jit::Module> replaced; // their fp32 weights: the file holds int8 only
    for (const QString &path : result.converted)
        replaced.push_back(modules.value(path));
    installRewrittenForward(root, graph, replaced);

    result.model = deriveModel(model, root, model.displayName().contains("int8 kernels"_L1) ? model.displayName()
                                                                                          : model.displayName() + u" [int8 kernels]"_s);
    result.model->impl().metadata.int8Engine = engine;
    if (result.converted.isEmpty())
        result.notes << u"no Linear layer could run int8 kernels; the model is unchanged"_s;
    return result;
}

} // namespace compresslab
