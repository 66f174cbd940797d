#pragma once
// The model panel: the module tree with a row above it to analyse the layers' sensitivity (the window runs it as
// a job), the legend of the tree's heat colour, and a button that clears the per-layer overrides.
#include "analysis/Sensitivity.h"

#include <QWidget>

class QAction;
class QLabel;
class QToolButton;

namespace compresslab {

class ModelTreeView;

class ModelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelPanel(ModelTreeView *tree, QWidget *parent = nullptr);
    ModelTreeView *tree() const { return m_tree; }
    QToolButton *analyseButton() const { return m_analyseButton; } // shows the window's Analyse Sensitivity action
    QAction *clearOverridesAction() const { return m_clearAction; }

    // The probes the window's analysis runs: the CLI's defaults, so that both share the cache.
    SensitivityParams sensitivityParams() const { return m_params; }
    void setSensitivityParams(const SensitivityParams &params) { m_params = params; }

    void setSensitivity(const SensitivityResult &result); // the tree's colour column and the legend

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateClearAction();

    ModelTreeView *m_tree;
    QToolButton *m_analyseButton;
    QLabel *m_legendBar; // the colour scale, white → red
    QLabel *m_legendLow;
    QLabel *m_legendHigh;
    QLabel *m_legendText;
    QToolButton *m_clearButton;
    QAction *m_clearAction;
    SensitivityParams m_params;
    qint64 m_samples = 0;
    bool m_fromCache = false;
};

} // namespace compresslab
