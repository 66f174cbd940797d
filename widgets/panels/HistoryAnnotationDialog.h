#pragma once
// The tags and notes of one experiment, edited in a small dialog. Tags are comma-separated; the
// history stores each once, trimmed.
#include <QDialog>
#include <QStringList>

class QLineEdit;
class QPlainTextEdit;

namespace compresslab {

struct HistoryAnnotation {
    QStringList tags;
    QString notes;
};

class HistoryAnnotationDialog : public QDialog {
    Q_OBJECT
public:
    HistoryAnnotationDialog(const QString &experimentTitle, const HistoryAnnotation &current, QWidget *parent = nullptr);
    HistoryAnnotation annotation() const;
    static QStringList parseTags(const QString &text); // "a, b,,c " -> {a, b, c}

private:
    QLineEdit *m_tags;
    QPlainTextEdit *m_notes;
};

} // namespace compresslab
