#pragma once
// Distillation from the window: choose the student (this model compressed, or another file), the training
// set and the settings; the run is a background job with progress, ETA and Cancel, its loss and metric
// curves drawn live, and its result (measured) recorded in the experiment history.
#include "history/HistoryTypes.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace compresslab {

enum class DistillStop;
class DistillCurvesChart;
class Job;
class ModelHostClient;
struct DistillRun;

class DistillPanel : public QWidget {
    Q_OBJECT
public:
    explicit DistillPanel(QWidget *parent = nullptr);
    ~DistillPanel() override;

    // The teacher (the window's model) and its evaluation set; the training set defaults to the zoo
    // layout's train.safetensors beside the model.
    void setTeacher(const QString &modelPath, const QString &evalPath);
    void setHost(std::shared_ptr<ModelHostClient> host); // where training runs: the window's; by default one of its own
    void setTrainingSet(const QString &path);
    void setStudentFile(const QString &path); // empty: the student is the teacher compressed
    void setSteps(int steps);
    void setBits(int bits);                   // 0: no quantization
    void setLearningRate(double lr);

    DistillCurvesChart *chart() const { return m_chart; }
    Job *job() const { return m_job; }
    QString resultText() const;

public Q_SLOTS:
    void start();
    void cancel();

Q_SIGNALS:
    void finished(bool succeeded);
    void recorded(); // an experiment was written to the history

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateState();
    void showResult(const DistillRun &run);
    static QString stopText(DistillStop stop);
    void chooseTrainingSet();
    void chooseStudentFile();

    QString m_modelPath, m_evalPath;
    std::shared_ptr<ModelHostClient> m_host;
    QPointer<Job> m_job;
    QComboBox *m_studentKind;
    QLineEdit *m_studentFile;
    QPushButton *m_studentBrowse;
    QComboBox *m_bits;
    QDoubleSpinBox *m_sparsity;
    QLineEdit *m_trainPath;
    QPushButton *m_trainBrowse;
    QDoubleSpinBox *m_temperature;
    QDoubleSpinBox *m_alpha;
    QSpinBox *m_steps;
    QSpinBox *m_batch;
    QLineEdit *m_lr;
    QSpinBox *m_evalEvery;
    QComboBox *m_optimizer;
    QCheckBox *m_learnScales;
    QCheckBox *m_keepOnCancel;
    QPushButton *m_startButton;
    QPushButton *m_cancelButton;
    QProgressBar *m_progress;
    QLabel *m_stage;
    QLabel *m_result;
    DistillCurvesChart *m_chart;
    QFormLayout *m_form;
};

} // namespace compresslab
