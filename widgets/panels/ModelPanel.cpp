#include "panels/ModelPanel.h"

#include "panels/ModelTreeView.h"
#include "panels/SensitivityHeat.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace compresslab {

ModelPanel::ModelPanel(ModelTreeView *tree, QWidget *parent)
    : QWidget(parent), m_tree(tree), m_analyseButton(new QToolButton), m_legendBar(new QLabel), m_legendLow(new QLabel), m_legendHigh(new QLabel),
      m_legendText(new QLabel),
      m_clearButton(new QToolButton), m_clearAction(new QAction(this))
{
    m_analyseButton->setObjectName(QStringLiteral("analyseSensitivityButton"));
    m_analyseButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_legendBar->setPixmap(heatLegendPixmap(72, 12));
    for (QLabel *l : {m_legendBar, m_legendLow, m_legendHigh})
        l->setVisible(false);
    m_legendText->setWordWrap(true);
    m_clearButton->setDefaultAction(m_clearAction);
    m_clearButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(m_clearAction, &QAction::triggered, m_tree, &ModelTreeView::clearOverrides);
    connect(m_tree, &ModelTreeView::overridesChanged, this, &ModelPanel::updateClearAction);
    connect(m_tree, &ModelTreeView::sensitivityChanged, this, [this] {
        for (QLabel *l : {m_legendBar, m_legendLow, m_legendHigh})
            l->setVisible(m_tree->hasSensitivity());
        retranslateUi();
    });

    // The buttons, and the colour scale once there is one; below them what the colour means.
    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_analyseButton);
    row->addWidget(m_clearButton);
    row->addStretch(1);
    row->addWidget(m_legendLow);
    row->addWidget(m_legendBar);
    row->addWidget(m_legendHigh);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(m_legendText);
    layout->addWidget(m_tree, 1);
    retranslateUi();
    updateClearAction();
}

void ModelPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ModelPanel::retranslateUi()
{
    m_clearAction->setText(tr("Clear Overrides"));
    m_clearAction->setToolTip(tr("Remove every per-layer bits, sparsity and skip setting: all layers follow the Compression panel again"));
    if (!m_tree->hasSensitivity()) {
        m_legendText->setText(tr("Sensitivity: not measured yet"));
        m_legendText->setToolTip(tr("Analyse Sensitivity measures, layer by layer, how much the model's output changes when only "
                                    "that layer is compressed; the tree then colours each layer by it."));
    } else {
        m_legendText->setText(tr("Sensitivity: output drift (KL) with one layer at %1, measured on %2 samples%3; log scale")
                                  .arg(probeSettingText(m_tree->sensitivitySetting()))
                                  .arg(m_samples)
                                  .arg(m_fromCache ? tr(" (from the cache)") : QString()));
        m_legendText->setToolTip(tr("Each layer's colour: the KL divergence of the model's output from the original's when only that "
                                    "layer is compressed, on a log scale from this model's least sensitive layer (white) to its "
                                    "most sensitive (red). Measured on this machine; hover over a layer for its numbers."));
    }
    m_legendLow->setText(tr("low"));
    m_legendHigh->setText(tr("high"));
    for (QLabel *l : {m_legendBar, m_legendLow, m_legendHigh})
        l->setToolTip(m_legendText->toolTip());
}

void ModelPanel::setSensitivity(const SensitivityResult &result)
{
    m_samples = result.samples;
    m_fromCache = result.fromCache;
    m_tree->setSensitivity(result);
}

void ModelPanel::updateClearAction() { m_clearAction->setEnabled(!m_tree->layerOverrides().isEmpty()); }

} // namespace compresslab
