#pragma once
// Model ▸ Sweep…: the `sweep` command in the window. The user ticks bit widths and pruning ratios (optionally on
// top of the Compression controls' configuration); a job compresses and evaluates every combination, records
// each into the history tagged "sweep", and the table fills as each one finishes. Cancel (or closing the
// dialog) stops after the configuration under way.
#include <QDialog>

#include <memory>
#include <QJsonObject>
#include <QPointer>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace compresslab {

class Job;
class ModelHostClient;
class TunePanel;
struct EvalResult;
struct SweepEntry;

class SweepDialog : public QDialog {
    Q_OBJECT
public:
    SweepDialog(const QString &modelPath, const QString &datasetPath, TunePanel *tune, QWidget *parent = nullptr);
    ~SweepDialog() override; // cancels a running sweep and waits for its current configuration
    void setHost(std::shared_ptr<ModelHostClient> host); // where the sweep runs: the window's; by default one of its own

    // The ticks as a sweep grid ({"base": ..., "vary": {...}}) and how many configurations it makes (0: none ticked).
    QJsonObject grid() const;
    int configurationCount() const;
    // Ticks a bit width ("2".."8", "fp16") or a pruning percentage (0, 25, 50, 75); false when there is no such box.
    bool setBitsTicked(const QString &bits, bool on);
    bool setPruningTicked(int percent, bool on);
    QCheckBox *fromControlsBox() const { return m_fromControls; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *cancelButton() const { return m_cancel; }
    QTableWidget *resultTable() const { return m_results; }
    QLabel *countLabel() const { return m_count; }
    QLabel *statusLabel() const { return m_status; }
    Job *job() const { return m_job; }

public Q_SLOTS:
    void run();
    void cancel(); // stops after the configuration under way

Q_SIGNALS:
    void recorded(qint64 experimentId);     // one configuration written to the history
    void configurationFinished(int row);    // its row in the result table is filled
    void sweepFinished();                   // succeeded, failed or cancelled; statusLabel() says which

protected:
    void reject() override; // closing cancels a running sweep

private:
    void updateCount();
    void setRunning(bool running);
    void showOriginal(const EvalResult &original);
    void addEntry(const SweepEntry &entry);

    QString m_modelPath, m_datasetPath;
    std::shared_ptr<ModelHostClient> m_host;
    QPointer<TunePanel> m_tune;
    QList<QCheckBox *> m_bits;     // each box's property "bits" is the value for quantize.bits
    QList<QCheckBox *> m_pruning;  // each box's property "percent" is the ratio in percent
    QCheckBox *m_fromControls;
    QLabel *m_count;
    QLabel *m_original;
    QProgressBar *m_progress;
    QLabel *m_status;
    QTableWidget *m_results;
    QPushButton *m_run, *m_cancel, *m_close;
    QPointer<Job> m_job;
    QString m_metricKey;           // the headline metric of the original, shown per configuration
    double m_originalValue = 0;
    bool m_higherIsBetter = true;
    int m_swept = 0;
};

} // namespace compresslab
