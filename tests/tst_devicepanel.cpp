// The device view, driven offscreen: estimates for every profile follow the compression controls, the
// verdict and the table say whether the model fits, the chart draws a row per device, and the profile
// editor duplicates, edits, validates and deletes the user's own profiles (built-ins stay read-only).
#include "TestSupport.h"

#include "Settings.h"
#include "device/DeviceCatalog.h"
#include "device/ModelEstimate.h"
#include "devices/DeviceChart.h"
#include "devices/DeviceEstimates.h"
#include "devices/DevicePanel.h"
#include "devices/DeviceProfilesDialog.h"
#include "devices/DeviceView.h"
#include "model/Model.h"
#include "model/ModelDescription.h"
#include "panels/TunePanel.h"

#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QSlider>
#include <QTableWidget>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::fixture;

class TestDevicePanel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;

    // Waits for the view's next estimate; returns it (null on timeout).
    static std::shared_ptr<const ModelEstimate> nextEstimate(DeviceView &view)
    {
        QSignalSpy spy(view.estimates(), &DeviceEstimates::estimated);
        if (!spy.wait(60000))
            return nullptr;
        return view.estimates()->latest();
    }

    static const DeviceEstimate *estimateFor(const ModelEstimate &m, const QString &device)
    {
        for (const DeviceEstimate &e : m.devices)
            if (e.device == device)
                return &e;
        return nullptr;
    }

    static DeviceProfile tinyDevice(const QString &name, double memoryBytes)
    {
        DeviceProfile p = DeviceCatalog::load().find(u"Raspberry Pi 4"_s);
        p.name = name;
        p.origin = DeviceProfile::Origin::User;
        p.memoryBytes = memoryBytes;
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QFile::remove(DeviceCatalog::userProfilesPath());
    }

    void cleanup() { QFile::remove(DeviceCatalog::userProfilesPath()); }

    void estimatesEveryProfileAndFollowsTheControls()
    {
        TunePanel tune;
        QWidget host;
        DeviceView view(&tune, &host);
        const auto model = Model::load(fixture(u"tiny_lm.pt"_s));
        view.setModel(std::make_shared<const ModelDescription>(describe(*model)));
        const auto original = nextEstimate(view);
        QVERIFY(original);
        const int profiles = int(DeviceCatalog::load().profiles().size());
        QCOMPARE(int(original->devices.size()), profiles);
        QCOMPARE(view.panel()->table()->rowCount(), profiles);
        QCOMPARE(view.chart()->devices().size(), profiles);
        QVERIFY(original->languageModel);
        QVERIFY(!view.panel()->table()->isColumnHidden(DevicePanel::TokenColumn)); // per-token time for a language model
        const DeviceEstimate *pi = estimateFor(*original, view.panel()->pickedDevice());
        QVERIFY(pi);
        QVERIFY(pi->fits);
        QVERIFY(view.panel()->summaryText().contains(u"Fits"_s));
        QVERIFY(view.panel()->summaryText().contains(u"estimated"_s));
        QCOMPARE(qint64(pi->weightBytes), model->summary().totalBytes());

        // 4-bit weights: the estimate follows, with the exact deployed size of the compressed copy.
        tune.bitsSlider()->setValue(4);
        const auto quantized = nextEstimate(view);
        QVERIFY(quantized);
        QVERIFY(quantized->report);
        const DeviceEstimate *pi4 = estimateFor(*quantized, view.panel()->pickedDevice());
        QCOMPARE(qint64(pi4->weightBytes), quantized->report->deployedBytes);
        QVERIFY(pi4->weightBytes < 0.3 * pi->weightBytes);
        QVERIFY(pi4->marginBytes > pi->marginBytes);
    }

    void saysWhenTheModelDoesNotFit()
    {
        // Every fixture fits the smallest memory a profile may declare (1 MB): the panel and chart are given an
        // estimate with one device short of memory (the estimator's own verdicts are tested in tst_devices).
        DeviceCatalog catalog = DeviceCatalog::load();
        catalog.saveUserProfile(tinyDevice(u"Tiny board"_s, 1e6));
        TunePanel tune;
        QWidget host;
        DeviceView view(&tune, &host);
        view.panel()->pickDevice(u"Tiny board"_s);
        QCOMPARE(view.panel()->pickedDevice(), u"Tiny board"_s);
        QCOMPARE(Settings::instance().lastDevice(), u"Tiny board"_s); // remembered for the next start
        auto estimate = std::make_shared<ModelEstimate>();
        DeviceEstimate big;
        big.device = catalog.profiles().first().name;
        big.weightBytes = 4e6;
        big.marginBytes = 2e9;
        big.fits = true;
        big.latencyMs = 12;
        DeviceEstimate tiny = big;
        tiny.device = u"Tiny board"_s;
        tiny.marginBytes = -3e6;
        tiny.fits = false;
        estimate->devices = {big, tiny};
        view.panel()->setEstimate(estimate, u"int4"_s);
        view.chart()->setEstimate(estimate);
        QVERIFY2(view.panel()->summaryText().contains(u"Does not fit: 3.00 MB short"_s), qPrintable(view.panel()->summaryText()));
        QCOMPARE(view.chart()->devicesNotFitting(), 1);
        QVERIFY(view.panel()->table()->item(1, DevicePanel::MemoryColumn)->text().contains(u"short"_s));
        QVERIFY(view.panel()->table()->item(0, DevicePanel::MemoryColumn)->text().contains(u"free"_s));
        QVERIFY(view.panel()->table()->isColumnHidden(DevicePanel::TokenColumn)); // no tokens: not a language model
        // A row click picks that device, and the verdict follows.
        Q_EMIT view.panel()->table()->cellClicked(0, DevicePanel::DeviceColumn);
        QCOMPARE(view.panel()->pickedDevice(), big.device);
        QVERIFY(view.panel()->summaryText().startsWith(u"Fits, with 2.00 GB to spare"_s));
    }

    void editorDuplicatesEditsAndDeletesOwnProfilesOnly()
    {
        DeviceProfilesDialog dialog(u"Raspberry Pi 5 (8 GB)"_s);
        QSignalSpy changed(&dialog, &DeviceProfilesDialog::profilesChanged);
        QCOMPARE(dialog.selectedProfile(), u"Raspberry Pi 5 (8 GB)"_s);
        QVERIFY(!dialog.isEditable());
        QVERIFY(!dialog.nameEdit()->isEnabled());
        QVERIFY(!dialog.saveSelected()); // a built-in profile is read-only
        QVERIFY(dialog.errorText().contains(u"duplicate"_s));
        QVERIFY(!dialog.deleteSelected());

        QVERIFY(dialog.duplicateSelected(u"My Pi"_s));
        QCOMPARE(dialog.selectedProfile(), u"My Pi"_s);
        QVERIFY(dialog.isEditable());
        dialog.memoryEdit()->setValue(2.5);
        QVERIFY2(dialog.saveSelected(), qPrintable(dialog.errorText()));
        QCOMPARE(DeviceCatalog::load().find(u"My Pi"_s).memoryBytes, 2.5e9); // written to the user file
        QCOMPARE(DeviceCatalog::load().find(u"My Pi"_s).bandwidthGBs, DeviceCatalog::load().find(u"Raspberry Pi 5"_s).bandwidthGBs);

        // Renaming onto an existing name is refused and loses nothing.
        dialog.nameEdit()->setText(u"Raspberry Pi 4 (4 GB)"_s);
        QVERIFY(!dialog.saveSelected());
        QVERIFY(dialog.errorText().contains(u"exists already"_s));
        QVERIFY(DeviceCatalog::load().contains(u"My Pi"_s));
        // A rename moves the profile.
        dialog.nameEdit()->setText(u"My Pi 5"_s);
        QVERIFY2(dialog.saveSelected(), qPrintable(dialog.errorText()));
        QVERIFY(DeviceCatalog::load().contains(u"My Pi 5"_s));
        QVERIFY(!DeviceCatalog::load().contains(u"My Pi"_s));

        QVERIFY(dialog.deleteSelected());
        QVERIFY(!DeviceCatalog::load().contains(u"My Pi 5"_s));
        QCOMPARE(changed.count(), 4); // duplicate, save, rename, delete; refused attempts change nothing
        QVERIFY(DeviceCatalog::load().contains(u"Raspberry Pi 5 (8 GB)"_s));
    }

    void aDamagedUserFileKeepsTheBuiltInProfiles()
    {
        QFile f(DeviceCatalog::userProfilesPath());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ not json");
        f.close();
        TunePanel tune;
        QWidget host;
        DeviceView view(&tune, &host);
        QVERIFY(view.estimates()->catalog().contains(u"NVIDIA A100 80 GB"_s));
        DeviceProfilesDialog dialog{QString()};
        QVERIFY2(dialog.errorText().contains(DeviceCatalog::userProfilesPath()), qPrintable(dialog.errorText()));
    }
};

QTEST_MAIN(TestDevicePanel)
#include "tst_devicepanel.moc"
