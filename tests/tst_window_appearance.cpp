// The window as its users see it: texts in German, unique shortcuts, presentation mode for a projector,
// and switching the language live. Split from tst_mainwindow.cpp (the workflows).
#include "TestSupport.h"

#include "CoreText.h"
#include "MainWindow.h"
#include "Settings.h"
#include "Translation.h"
#include "charts/LayerBytesChart.h"
#include "common/UserError.h"
#include "jobs/Job.h"
#include "jobs/JobRegistry.h"
#include "model/Model.h"
#include "model/ModelDescription.h"
#include "HistorySamples.h"
#include "history/History.h"
#include "LiveTuning.h"
#include "charts/ChartStyle.h"
#include "charts/DistillCurvesChart.h"
#include "charts/TradeoffChart.h"
#include "panels/TunePanel.h"
#include "panels/DistillPanel.h"
#include "panels/HistoryPanel.h"
#include "panels/HistoryTableModel.h"
#include "panels/ModelTreeView.h"
#include "panels/ResultsPanel.h"
#include "export/OnnxExportTool.h"
#include "dialogs/ExportDialog.h"
#include "device/DeviceCatalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QImage>
#include <QPen>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSlider>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::fixture;

class TestWindowAppearance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        Settings::instance().clearRecentFiles();
    }

    // Every test here opened, evaluated, compressed or exported models: all of it ran in isolated workers.
    void cleanupTestCase() { QCOMPARE(Model::loadsInThisProcess(), 0); }

    // The core writes metric names and run details in English (the CLI and the history keep them); the window
    // shows them in its language. Fails when a core label changes without widgets/CoreText.cpp following it.
    void showsTheCoresTextsInGerman()
    {
        const UiLanguage before = Settings::instance().language();
        auto restore = qScopeGuard([before] { installTranslators(before); });
        installTranslators(UiLanguage::German);
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        w.setDatasetPath(fixture(u"tiny_mlp_eval.safetensors"_s));
        QSignalSpy finished(&w, &MainWindow::jobFinished);
        w.evaluate();
        QVERIFY(finished.wait(20000));
        const QString result = w.resultsPanel()->item(0, 2)->text();
        QVERIFY2(result.contains("Genauigkeit"_L1) && result.contains("Top-5-Genauigkeit"_L1) && !result.contains("ccuracy"_L1),
                 qPrintable(result));
        const QString details = w.resultsPanel()->item(0, 3)->text();
        QVERIFY2(details.contains("Thread"_L1) && details.contains("int8-Engine"_L1) && !details.contains("engine"_L1), qPrintable(details));
        QCOMPARE(displayDeployment(u"native kernels: packed weights read as stored, computed in the narrowest precision with kernels (fp32, int8)"_s),
                 u"native Kernels: gepackte Gewichte wie gespeichert gelesen, gerechnet in der schmalsten Genauigkeit mit Kernels (fp32, int8)"_s);
        QCOMPARE(displayLayerKey(u"blocks.0.mlp.fc1"_s), u"blocks.0.mlp.fc1"_s); // layer paths are data
        QCOMPARE(displayLayerKey(u"loss"_s), u"loss"_s);                         // even one named like a metric
        QCOMPARE(displayMetric(u"loss"_s), u"Verlust"_s);
    }


    // F5: larger texts, lines and markers for a projector; back exactly to normal, never compounding.
    // Two window-wide actions on one key both stop working (Qt reports an ambiguous shortcut): Ctrl+E once
    // meant Evaluate and Export. Panel-local shortcuts (history: WidgetWithChildrenShortcut) are checked too.
    void shortcutsAreUnique()
    {
        MainWindow w;
        QHash<QString, QString> owner;
        for (QAction *a : w.findChildren<QAction *>()) {
            for (const QKeySequence &key : a->shortcuts()) {
                const QString k = key.toString() + u'@' + QString::number(int(a->shortcutContext()));
                QVERIFY2(!owner.contains(k), qPrintable(u"%1 is both '%2' and '%3'"_s.arg(key.toString(), owner.value(k), a->text())));
                owner.insert(k, a->text());
            }
        }
        QVERIFY(owner.size() >= 8);
    }

    void presentationModeEnlargesTextsAndLines()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        // QCustomPlot's plottables declare a `pen` property: read their widths without its header.
        const auto penWidths = [&w] {
            QList<qreal> widths;
            for (QObject *o : w.tradeoffChart()->findChildren<QObject *>()) {
                const QVariant pen = o->property("pen");
                if (pen.canConvert<QPen>() && pen.value<QPen>().widthF() > 0)
                    widths << pen.value<QPen>().widthF();
            }
            return widths;
        };
        const qreal normalFont = QApplication::font().pointSizeF();
        const QList<qreal> normalPens = penWidths();
        QVERIFY(!normalPens.isEmpty());
        QAction *toggle = nullptr;
        for (QAction *a : w.findChildren<QAction *>()) {
            if (a->shortcut() == QKeySequence(Qt::Key_F5))
                toggle = a;
        }
        QVERIFY(toggle && toggle->isCheckable());
        toggle->trigger();
        QCOMPARE(QApplication::font().pointSizeF(), normalFont * 1.5);
        QList<qreal> expected;
        for (qreal width : normalPens)
            expected << width * 1.5;
        QCOMPARE(penWidths(), expected);
        w.setPresentationMode(true); // already on: nothing compounds
        QCOMPARE(penWidths(), expected);
        QTRY_COMPARE(w.treeView()->font().pointSizeF(), normalFont * 1.5); // widgets follow the application font
        if (!qEnvironmentVariableIsEmpty("COMPRESSLAB_SCREENSHOTS")) {
            w.resize(1920, 1080); // a projector's
            QTest::qWait(500);    // layouts settle after the font change
            w.grab().save(qEnvironmentVariable("COMPRESSLAB_SCREENSHOTS") + u"/presentation.png"_s);
        }
        toggle->trigger();
        QCOMPARE(QApplication::font().pointSizeF(), normalFont);
        QCOMPARE(penWidths(), normalPens);
        QTRY_COMPARE(w.treeView()->font().pointSizeF(), normalFont);
    }

    void switchesLanguageLiveAndRemembersIt()
    {
        // The German texts come from the real compresslab_de.qm the build made (build/bin/../translations).
        QVERIFY2(!translationFile(u"de"_s).isEmpty(),
                 qPrintable(u"compresslab_de.qm not found in "_s + translationDirectories().join(u", "_s)));
        const UiLanguage before = Settings::instance().language();
        auto restore = qScopeGuard([before] {
            installTranslators(before);
            Settings::instance().setLanguage(before);
        });
        // A fresh history and no recent files, so that every text in the window is one the app wrote.
        Settings::instance().setHistoryPath(m_settingsDir.filePath(u"language.sqlite"_s));
        Settings::instance().clearRecentFiles();
        MainWindow w;
        QSignalSpy historyLoaded(w.historyPanel(), &HistoryPanel::loaded);
        w.show();
        QVERIFY(historyLoaded.wait(10000));

        QMenu *languageMenu = w.findChild<QMenu *>(u"languageMenu"_s);
        QVERIFY(languageMenu);
        auto choose = [languageMenu](UiLanguage language) {
            for (QAction *a : languageMenu->actions())
                if (a->data().toInt() == int(language))
                    return a->trigger();
            QFAIL("no action for this language in View ▸ Language");
        };
        auto menuTitles = [&w] {
            QStringList titles;
            for (QAction *a : w.menuBar()->actions())
                titles << a->text();
            return titles;
        };
        auto *historyDock = w.findChild<QDockWidget *>(u"historyDock"_s);
        auto *distillButton = w.findChild<QPushButton *>(u"distillStartButton"_s);
        QAction *openAction = w.findChild<QToolBar *>(u"mainToolBar"_s)->actions().first();
        const QStringList english{u"&File"_s, u"&Model"_s, u"&View"_s, u"&Help"_s};

        choose(UiLanguage::English);
        QTRY_COMPARE(menuTitles(), english);
        // The jobs dock's texts and row widgets follow the jobs (history reads): snapshots are taken with none listed.
        settleJobs();
        const QMap<QString, QString> englishTexts = visibleTexts(w);

        choose(UiLanguage::German);
        QTRY_COMPARE(menuTitles(), (QStringList{u"&Datei"_s, u"&Modell"_s, u"&Ansicht"_s, u"&Hilfe"_s}));
        QCOMPARE(historyDock->windowTitle(), u"Experimentverlauf"_s);
        QCOMPARE(historyDock->toggleViewAction()->text(), u"Experimentverlauf"_s);
        QCOMPARE(distillButton->text(), u"Destillieren"_s);
        QCOMPARE(openAction->toolTip(), u"Ein mit torch.jit.save gespeichertes TorchScript-Modell (.pt) öffnen"_s);
        QCOMPARE(w.treeView()->headerItem()->text(ModelTreeView::NameColumn), u"Modul"_s);
        QCOMPARE(w.historyPanel()->tableModel()->headerData(HistoryTableModel::Quality, Qt::Horizontal).toString(), u"Qualität (gemessen)"_s);
        // Not one text of the window stays English, except words both languages share.
        settleJobs();
        const QMap<QString, QString> germanTexts = visibleTexts(w);
        const QSet<QString> same{u"CompressLab"_s, u"&English"_s, u"English"_s, u"&Deutsch"_s, u"Deutsch"_s, u"AdamW"_s, u"Adam"_s, u"SGD"_s, u"fp16"_s,
                                 u"2:4"_s, u"Status"_s, u"Details"_s, u"MB"_s, u"kB"_s};
        QSet<QString> data = same; // device profile names are data, as model names are
        const DeviceCatalog devices = DeviceCatalog::load();
        for (const DeviceProfile &p : devices.profiles())
            data.insert(p.name);
        QStringList untranslated;
        for (auto it = englishTexts.cbegin(); it != englishTexts.cend(); ++it)
            if (germanTexts.value(it.key()) == it.value() && !data.contains(it.value()))
                untranslated << it.key() + u": "_s + it.value();
        QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(u"\n"_s)));
        QVERIFY(englishTexts.size() > 100);
        // The choice is stored, and a window made afterwards (as at the next start) comes up in German.
        QCOMPARE(Settings::instance().language(), UiLanguage::German);
        QCOMPARE(QSettings().value(u"ui/language"_s).toString(), u"de"_s);
        {
            MainWindow next;
            QCOMPARE(next.findChild<QPushButton *>(u"distillStartButton"_s)->text(), u"Destillieren"_s);
        }

        choose(UiLanguage::English);
        QTRY_COMPARE(menuTitles(), english);
        settleJobs();
        QCOMPARE(visibleTexts(w), englishTexts); // every text back as it was
        QCOMPARE(QSettings().value(u"ui/language"_s).toString(), u"en"_s);
    }

private:
    // No job running and none listed: the jobs dock's row widgets would shift the keys of visibleTexts.
    static void settleJobs()
    {
        QTRY_COMPARE(JobRegistry::instance().runningCount(), 0);
        JobRegistry::instance().clearFinished();
        QTest::qWait(50); // the list rebuilds on the next event-loop pass and deletes its row widgets
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }

    // Every text the window shows or offers as a tooltip, keyed by where it is; Qt's internal widgets left out.
    static QMap<QString, QString> visibleTexts(MainWindow &w)
    {
        QMap<QString, QString> texts;
        auto add = [&texts](const QString &key, const QString &text) {
            if (!text.trimmed().isEmpty())
                texts.insert(key, text);
        };
        const QSet<QByteArray> ownTypes{"QLabel", "QPushButton", "QCheckBox", "QToolButton", "QLineEdit", "QComboBox", "QDockWidget", "QTabWidget"};
        int n = 0;
        for (QWidget *widget : w.findChildren<QWidget *>()) {
            const QString key = QString::number(n++) + u" "_s + QLatin1String(widget->metaObject()->className());
            if (!ownTypes.contains(widget->metaObject()->className()) || widget->objectName().startsWith("qt_"_L1))
                continue;
            add(key + u" tooltip"_s, widget->toolTip());
            if (auto *label = qobject_cast<QLabel *>(widget))
                add(key, label->text());
            else if (auto *button = qobject_cast<QAbstractButton *>(widget))
                add(key, button->text());
            else if (auto *edit = qobject_cast<QLineEdit *>(widget))
                add(key + u" placeholder"_s, edit->placeholderText());
            else if (auto *combo = qobject_cast<QComboBox *>(widget))
                for (int i = 0; i < combo->count(); ++i)
                    add(key + u" item "_s + QString::number(i), combo->itemText(i));
            else if (auto *dock = qobject_cast<QDockWidget *>(widget))
                add(key, dock->windowTitle());
            else if (auto *tabs = qobject_cast<QTabWidget *>(widget))
                for (int i = 0; i < tabs->count(); ++i)
                    add(key + u" tab "_s + QString::number(i), tabs->tabText(i));
        }
        for (QAction *a : w.findChildren<QAction *>()) {
            if (a->objectName().startsWith("_q_"_L1) || a->objectName().startsWith("qt_"_L1))
                continue;
            const QString key = QString::number(n++) + u" action"_s;
            add(key, a->text());
            add(key + u" tooltip"_s, a->toolTip());
        }
        for (int c = 0; c < ModelTreeView::ColumnCount; ++c) {
            add(u"tree header "_s + QString::number(c), w.treeView()->headerItem()->text(c));
            add(u"tree header tooltip "_s + QString::number(c), w.treeView()->headerItem()->toolTip(c));
        }
        for (int c = 0; c < w.resultsPanel()->columnCount(); ++c)
            add(u"results header "_s + QString::number(c), w.resultsPanel()->horizontalHeaderItem(c)->text());
        for (int c = 0; c < HistoryTableModel::ColumnCount; ++c)
            add(u"history header "_s + QString::number(c), w.historyPanel()->tableModel()->headerData(c, Qt::Horizontal).toString());
        add(u"window title"_s, w.windowTitle());
        return texts;
    }

    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestWindowAppearance)
#include "tst_window_appearance.moc"
