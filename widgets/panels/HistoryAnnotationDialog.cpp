#include "panels/HistoryAnnotationDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace compresslab {

HistoryAnnotationDialog::HistoryAnnotationDialog(const QString &experimentTitle, const HistoryAnnotation &current, QWidget *parent)
    : QDialog(parent), m_tags(new QLineEdit(current.tags.join(u", "_s))), m_notes(new QPlainTextEdit(current.notes))
{
    setWindowTitle(tr("Tags and Notes"));
    m_tags->setPlaceholderText(tr("e.g. workshop, baseline"));
    m_tags->setToolTip(tr("Separate tags with commas; the history filters by tag."));
    m_notes->setTabChangesFocus(true);
    auto *title = new QLabel(experimentTitle);
    title->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Tags:"), m_tags);
    form->addRow(tr("&Notes:"), m_notes);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(form, 1);
    layout->addWidget(buttons);
    resize(480, 280);
}

QStringList HistoryAnnotationDialog::parseTags(const QString &text)
{
    QStringList tags;
    for (const QString &t : text.split(u',', Qt::SkipEmptyParts)) {
        const QString tag = t.trimmed();
        if (!tag.isEmpty() && !tags.contains(tag))
            tags << tag;
    }
    return tags;
}

HistoryAnnotation HistoryAnnotationDialog::annotation() const { return {parseTags(m_tags->text()), m_notes->toPlainText()}; }

} // namespace compresslab
