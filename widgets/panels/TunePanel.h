#pragma once
// The compression controls: quantization bits, granularity, group size, symmetry, method; pruning ratio and
// pattern; low-rank ratio; codebook bits. Every change emits the configuration they describe (the same JSON
// the CLI and the history use); the window re-evaluates it in the background.
#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QSlider;
class QSpinBox;

namespace compresslab {

class TunePanel : public QWidget {
    Q_OBJECT
public:
    explicit TunePanel(QWidget *parent = nullptr);
    QJsonObject configJson() const;   // {} when every method is off
    // Sets the controls to `config` (what configJson() or the history holds) and emits configChanged once, which
    // starts its measurement. Returns false, leaving the controls as they were, when `config` is invalid or
    // uses something the controls cannot show (HistoryRerun::controlsCannotShow says what).
    bool setConfigJson(const QJsonObject &config);
    QSlider *bitsSlider() const { return m_bits; }
    QSlider *sparsitySlider() const { return m_sparsity; }
    void setStatus(const QString &text); // what the live point shows, under the controls
    QString status() const; // the text setStatus put there
    // Per-layer overrides ({"fc1": {"bits": 4}}, the configuration's "layers"): merged into configJson() while any
    // method is on; a change emits configChanged so the live measurement re-runs.
    void setLayerOverrides(const QJsonObject &layers);
    QJsonObject layerOverrides() const { return m_layerOverrides; }

Q_SIGNALS:
    void configChanged(const QJsonObject &config);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateValueLabels(); // the texts beside the sliders
    void changed();
    QSlider *m_bits;
    QLabel *m_bitsLabel;
    QComboBox *m_granularity;
    QSpinBox *m_groupSize;
    QCheckBox *m_symmetric;
    QComboBox *m_method;
    QSlider *m_sparsity;
    QLabel *m_sparsityLabel;
    QComboBox *m_pattern;
    QDoubleSpinBox *m_rank;
    QComboBox *m_codebook;
    QLabel *m_status;
    QFormLayout *m_form;
    QJsonObject m_layerOverrides;
};

} // namespace compresslab
