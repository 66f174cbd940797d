<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ChartStyle</name>
    <message>
        <source>cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Export Chart as %1…</source>
        <translation>Diagramm als %1 exportieren…</translation>
    </message>
    <message>
        <source>Export Chart</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <source>%1 files (*.%2)</source>
        <translation>%1-Dateien (*.%2)</translation>
    </message>
    <message>
        <source>charts are exported as .png, .pdf or .svg, not .%1</source>
        <translation>Diagramme werden als .png, .pdf oder .svg exportiert, nicht als .%1</translation>
    </message>
</context>
<context>
    <name>CoreText</name>
    <message>
        <source>Accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Top-5 accuracy</source>
        <translation>Top-5-Genauigkeit</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>Perplexität</translation>
    </message>
    <message>
        <source>Cross-entropy</source>
        <translation>Kreuzentropie</translation>
    </message>
    <message>
        <source>Next-token accuracy</source>
        <translation>Genauigkeit des nächsten Tokens</translation>
    </message>
    <message>
        <source>(other operators)</source>
        <translation>(andere Operatoren)</translation>
    </message>
    <message>
        <source>as CompressLab runs it here: Linear layers on int8 kernels (quantized::linear_dynamic), the rest fp32</source>
        <translation>wie CompressLab es hier ausführt: Linear-Schichten auf int8-Kernels (quantized::linear_dynamic), der Rest fp32</translation>
    </message>
    <message>
        <source>as CompressLab runs it here: compressed weights dequantized to fp32</source>
        <translation>wie CompressLab es hier ausführt: komprimierte Gewichte nach fp32 dequantisiert</translation>
    </message>
    <message>
        <source>native kernels: packed weights read as stored, computed in the narrowest precision with kernels (%1)</source>
        <translation>native Kernels: gepackte Gewichte wie gespeichert gelesen, gerechnet in der schmalsten Genauigkeit mit Kernels (%1)</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>top5_accuracy</source>
        <translation>Top-5-Genauigkeit</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>Perplexität</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>token_accuracy</source>
        <translation>Token-Genauigkeit</translation>
    </message>
    <message numerus="yes">
        <source>%n thread(s), %1, int8 engine %2, LibTorch %3, OpenMP waiting %4, allocator: %5</source>
        <translation>
            <numerusform>%n Thread, %1, int8-Engine %2, LibTorch %3, OpenMP-Warten %4, Speicherverwaltung: %5</numerusform>
            <numerusform>%n Threads, %1, int8-Engine %2, LibTorch %3, OpenMP-Warten %4, Speicherverwaltung: %5</numerusform>
        </translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>nicht erfasst</translation>
    </message>
</context>
<context>
    <name>HistoryRerun</name>
    <message numerus="yes">
        <source>it has per-layer overrides (%n layer pattern(s)), which the Compression controls cannot show yet</source>
        <translation>
            <numerusform>es hat schichtweise Vorgaben (%n Schichtmuster), die die Kompressionsregler noch nicht zeigen können</numerusform>
            <numerusform>es hat schichtweise Vorgaben (%n Schichtmuster), die die Kompressionsregler noch nicht zeigen können</numerusform>
        </translation>
    </message>
    <message>
        <source>it exports int8 kernels, which the Compression controls do not offer</source>
        <translation>es exportiert int8-Kernels, die die Kompressionsregler nicht anbieten</translation>
    </message>
    <message>
        <source>it compresses only %1 layers; the Compression controls always compress Linear, Conv and Embedding layers</source>
        <translation>es komprimiert nur %1-Schichten; die Kompressionsregler komprimieren immer Linear-, Conv- und Embedding-Schichten</translation>
    </message>
    <message>
        <source>its steps run in an order the Compression controls do not use (they prune, factorise, then quantize)</source>
        <translation>seine Schritte laufen in einer Reihenfolge, die die Kompressionsregler nicht verwenden (sie beschneiden, faktorisieren, dann quantisieren)</translation>
    </message>
    <message>
        <source>it quantizes to bf16; the Compression controls offer fp16</source>
        <translation>es quantisiert auf bf16; die Kompressionsregler bieten fp16</translation>
    </message>
    <message>
        <source>its group size %1 is outside the controls&apos; range (8 to 1024)</source>
        <translation>seine Gruppengröße %1 liegt außerhalb des Bereichs der Regler (8 bis 1024)</translation>
    </message>
    <message>
        <source>it refuses layers its group size does not divide; the Compression controls fall back to per-channel scales</source>
        <translation>es weist Schichten ab, die seine Gruppengröße nicht teilt; die Kompressionsregler weichen auf Skalen pro Kanal aus</translation>
    </message>
    <message>
        <source>its GPTQ calibration settings (%1 samples, dampening %2) are not the controls&apos; defaults</source>
        <translation>seine GPTQ-Kalibrierung (%1 Beispiele, Dämpfung %2) entspricht nicht den Vorgaben der Regler</translation>
    </message>
    <message>
        <source>it prunes %1:%2; the Compression controls offer 2:4</source>
        <translation>es beschneidet %1:%2; die Kompressionsregler bieten 2:4</translation>
    </message>
    <message>
        <source>it prunes with one global threshold; the Compression controls prune each layer on its own</source>
        <translation>es beschneidet mit einer globalen Schwelle; die Kompressionsregler beschneiden jede Schicht für sich</translation>
    </message>
    <message>
        <source>it ranks neurons by their L1 norm; the Compression controls use the L2 norm</source>
        <translation>es ordnet Neuronen nach ihrer L1-Norm; die Kompressionsregler verwenden die L2-Norm</translation>
    </message>
    <message>
        <source>it prunes %1%, which the pruning slider (whole percents, 1 to 90) cannot show</source>
        <translation>es beschneidet %1 %, was der Beschneidungsregler (ganze Prozent, 1 bis 90) nicht zeigen kann</translation>
    </message>
    <message>
        <source>its low-rank step keeps a share of the energy; the Compression controls set a share of the rank</source>
        <translation>sein Niedrigrang-Schritt behält einen Anteil der Energie; die Kompressionsregler setzen einen Anteil des Rangs</translation>
    </message>
    <message>
        <source>its rank ratio %1 has more than two decimals</source>
        <translation>sein Rangverhältnis %1 hat mehr als zwei Nachkommastellen</translation>
    </message>
    <message>
        <source>its codebook has %1 bit; the Compression controls offer 2 to 8</source>
        <translation>sein Codebuch hat %1 Bit; die Kompressionsregler bieten 2 bis 8</translation>
    </message>
    <message>
        <source>its k-means runs %1 iterations; the Compression controls run %2</source>
        <translation>sein k-Means läuft %1 Iterationen; die Kompressionsregler laufen %2</translation>
    </message>
    <message>
        <source>Experiment %1 is a distillation: repeat it in the Distillation panel or with compresslab-cli history rerun %1.</source>
        <translation>Experiment %1 ist eine Destillation: Wiederholen Sie es im Destillationsbereich oder mit compresslab-cli history rerun %1.</translation>
    </message>
    <message>
        <source>Experiment %1 is a %2 run, not a compression: only compressions can be re-run with the Compression controls.</source>
        <translation>Experiment %1 ist ein %2-Lauf, keine Kompression: Nur Kompressionen lassen sich mit den Kompressionsreglern wiederholen.</translation>
    </message>
    <message>
        <source>Experiment %1 cannot be re-run: %2</source>
        <translation>Experiment %1 lässt sich nicht wiederholen: %2</translation>
    </message>
    <message>
        <source>Experiment %1 cannot be re-run with the Compression controls: %2. Use compresslab-cli history rerun %1.</source>
        <translation>Experiment %1 lässt sich nicht mit den Kompressionsreglern wiederholen: %2. Verwenden Sie compresslab-cli history rerun %1.</translation>
    </message>
    <message>
        <source>Open %1 (%2) first: a re-run measures the model open in the window.</source>
        <translation>Öffnen Sie zuerst %1 (%2): Eine Wiederholung misst das im Fenster geöffnete Modell.</translation>
    </message>
    <message>
        <source>Experiment %1 ran on %2 (%3), not on the open model: open that model to re-run it.</source>
        <translation>Experiment %1 lief auf %2 (%3), nicht auf dem geöffneten Modell: Öffnen Sie dieses Modell, um es zu wiederholen.</translation>
    </message>
</context>
<context>
    <name>HistoryTrash</name>
    <message>
        <source>experiment %1 is still running; it can be deleted once it has ended</source>
        <translation>Experiment %1 läuft noch; es kann gelöscht werden, sobald es beendet ist</translation>
    </message>
</context>
<context>
    <name>JobRegistry</name>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>cancelling (after this batch)</source>
        <translation>wird abgebrochen (nach diesem Stapel)</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>ModelProbe</name>
    <message>
        <source>cannot load %1: the isolated check failed (exit %2)</source>
        <translation>%1 kann nicht geladen werden: die isolierte Prüfung ist fehlgeschlagen (Exit-Code %2)</translation>
    </message>
    <message>
        <source>cannot open models: %1 is missing or cannot start; the workbench runs every model in it, apart from this window</source>
        <translation>Modelle können nicht geöffnet werden: %1 fehlt oder startet nicht; die Werkbank führt jedes Modell darin aus, getrennt von diesem Fenster</translation>
    </message>
    <message>
        <source>cannot load %1: the isolated check gave no model description</source>
        <translation>%1 kann nicht geladen werden: die isolierte Prüfung lieferte keine Modellbeschreibung</translation>
    </message>
</context>
<context>
    <name>SensitivityHeat</name>
    <message>
        <source>%1 bits</source>
        <translation>%1 Bit</translation>
    </message>
    <message>
        <source>%1% pruned</source>
        <translation>%1 % beschnitten</translation>
    </message>
</context>
<context>
    <name>compresslab</name>
    <message>
        <source>%1: max |Δlogit| %2, arg-max agreement %3 %</source>
        <translation>%1: max. |ΔLogit| %2, Übereinstimmung des Arg-Max %3 %</translation>
    </message>
    <message>
        <source>ONNX Runtime vs TorchScript (measured, %1 on %2 samples): %3</source>
        <translation>ONNX Runtime gegenüber TorchScript (gemessen, %1 auf %2 Beispielen): %3</translation>
    </message>
    <message>
        <source>the TorchScript files were written to %1, but the ONNX export failed: %2</source>
        <translation>die TorchScript-Dateien wurden nach %1 geschrieben, aber der ONNX-Export ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>GPTQ calibrates on data: choose a dataset first (File ▸ Choose Dataset)</source>
        <translation>GPTQ kalibriert auf Daten: Wählen Sie zuerst einen Datensatz (Datei ▸ Datensatz wählen)</translation>
    </message>
    <message>
        <source>int8 kernels: %1 (as configured)</source>
        <translation>int8-Kernels: %1 (wie konfiguriert)</translation>
    </message>
    <message>
        <source>%1 %2 ms</source>
        <translation>%1 %2 ms</translation>
    </message>
    <message>
        <source>int8 kernels: %1, measured faster on this machine at input [%2] (%3)</source>
        <translation>int8-Kernels: %1, auf diesem Rechner mit Eingabe [%2] als schneller gemessen (%3)</translation>
    </message>
    <message>
        <source>int8 kernels: %1 (not timed: %2)</source>
        <translation>int8-Kernels: %1 (nicht gemessen: %2)</translation>
    </message>
</context>
<context>
    <name>compresslab::CompareDialog</name>
    <message>
        <source>Compare Experiments</source>
        <translation>Experimente vergleichen</translation>
    </message>
    <message>
        <source>Comparing %1. Changes are against &lt;b&gt;#%2&lt;/b&gt;, the first selected; &lt;span style=&apos;color:%3&apos;&gt;green: better&lt;/span&gt;, &lt;span style=&apos;color:%4&apos;&gt;red: worse&lt;/span&gt;, by each metric&apos;s direction (higher or lower is better).</source>
        <translation>Vergleich von %1. Änderungen beziehen sich auf &lt;b&gt;#%2&lt;/b&gt;, das zuerst ausgewählte; &lt;span style=&apos;color:%3&apos;&gt;grün: besser&lt;/span&gt;, &lt;span style=&apos;color:%4&apos;&gt;rot: schlechter&lt;/span&gt;, nach der Richtung jeder Metrik (höher oder niedriger ist besser).</translation>
    </message>
    <message>
        <source>&lt;b&gt;Metrics&lt;/b&gt;</source>
        <translation>&lt;b&gt;Metriken&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Configuration&lt;/b&gt;: identical</source>
        <translation>&lt;b&gt;Konfiguration&lt;/b&gt;: identisch</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Configuration&lt;/b&gt;: %n setting(s) differ (only those are shown)</source>
        <translation>
            <numerusform>&lt;b&gt;Konfiguration&lt;/b&gt;: %n Einstellung unterscheidet sich (nur diese wird gezeigt)</numerusform>
            <numerusform>&lt;b&gt;Konfiguration&lt;/b&gt;: %n Einstellungen unterscheiden sich (nur diese werden gezeigt)</numerusform>
        </translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Einstellung</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Metrik</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Herkunft</translation>
    </message>
    <message>
        <source>Change vs #%1</source>
        <translation>Änderung ggü. #%1</translation>
    </message>
    <message>
        <source>Higher is better</source>
        <translation>Höher ist besser</translation>
    </message>
    <message>
        <source>Lower is better</source>
        <translation>Niedriger ist besser</translation>
    </message>
    <message>
        <source>measured</source>
        <translation>gemessen</translation>
    </message>
    <message>
        <source>estimated</source>
        <translation>geschätzt</translation>
    </message>
    <message>
        <source>same</source>
        <translation>gleich</translation>
    </message>
    <message>
        <source>%1 better</source>
        <translation>%1 besser</translation>
    </message>
    <message>
        <source>%1 worse</source>
        <translation>%1 schlechter</translation>
    </message>
    <message>
        <source>%1 (%2% relative)</source>
        <translation>%1 (%2 % relativ)</translation>
    </message>
</context>
<context>
    <name>compresslab::DeviceChart</name>
    <message>
        <source>Latency and memory per device (estimated)</source>
        <translation>Latenz und Speicher je Gerät (geschätzt)</translation>
    </message>
    <message>
        <source>latency per inference, ms</source>
        <translation>Latenz je Inferenz, ms</translation>
    </message>
    <message>
        <source>memory, % of the device (dashed: 100 %)</source>
        <translation>Speicher, % des Geräts (gestrichelt: 100 %)</translation>
    </message>
    <message>
        <source>latency (bottom axis)</source>
        <translation>Latenz (untere Achse)</translation>
    </message>
    <message>
        <source>memory, fits (top axis)</source>
        <translation>Speicher, passt (obere Achse)</translation>
    </message>
    <message>
        <source>memory, does not fit</source>
        <translation>Speicher, passt nicht</translation>
    </message>
</context>
<context>
    <name>compresslab::DeviceEstimates</name>
    <message>
        <source>the model as it is</source>
        <translation>das Modell, wie es ist</translation>
    </message>
    <message>
        <source>%1 (sized as round-to-nearest: the same layout)</source>
        <translation>%1 (Größe wie bei Runden zum Nächsten: dasselbe Format)</translation>
    </message>
    <message>
        <source>Estimating on every device profile</source>
        <translation>Schätzung für jedes Geräteprofil</translation>
    </message>
</context>
<context>
    <name>compresslab::DevicePanel</name>
    <message>
        <source>✓ %1 free</source>
        <translation>✓ %1 frei</translation>
    </message>
    <message>
        <source>✗ %1 short</source>
        <translation>✗ %1 zu wenig</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <source>The target device whose memory, latency and energy are shown above the table. Estimates come from a roofline model of the device, not from running on it.</source>
        <translation>Das Zielgerät, dessen Speicher, Latenz und Energie über der Tabelle stehen. Die Schätzungen stammen aus einem Roofline-Modell des Geräts, nicht aus einem Lauf darauf.</translation>
    </message>
    <message>
        <source>Profiles…</source>
        <translation>Profile…</translation>
    </message>
    <message>
        <source>Create, duplicate, edit and delete your own device profiles, and calibrate This computer.</source>
        <translation>Eigene Geräteprofile anlegen, duplizieren, bearbeiten und löschen, und „Dieser Computer“ kalibrieren.</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>Per token</source>
        <translation>Je Token</translation>
    </message>
    <message>
        <source>Energy</source>
        <translation>Energie</translation>
    </message>
    <message>
        <source>Every profile side by side; all numbers are estimates. Click a row to pick that device.</source>
        <translation>Alle Profile nebeneinander; alle Zahlen sind Schätzungen. Ein Klick auf eine Zeile wählt das Gerät.</translation>
    </message>
    <message>
        <source>Whether weights and peak activations fit the memory available to the model, and the margin.</source>
        <translation>Ob Gewichte und Spitzen-Aktivierungen in den für das Modell verfügbaren Speicher passen, und mit welchem Abstand.</translation>
    </message>
    <message>
        <source>One inference (forward pass) at batch 1, estimated from bytes moved and operations at the precision the device has kernels for.</source>
        <translation>Eine Inferenz (Vorwärtsdurchlauf) bei Stapelgröße 1, geschätzt aus bewegten Bytes und Operationen in der Genauigkeit, für die das Gerät Kernel hat.</translation>
    </message>
    <message>
        <source>One decoding step of a language model: every weight is read once per new token.</source>
        <translation>Ein Dekodierschritt eines Sprachmodells: jedes Gewicht wird je neuem Token einmal gelesen.</translation>
    </message>
    <message>
        <source>Energy of one inference at the profile&apos;s typical power draw.</source>
        <translation>Energie einer Inferenz bei der typischen Leistungsaufnahme des Profils.</translation>
    </message>
    <message>
        <source>All numbers estimated for %1 at batch 1 from each device&apos;s profile (roofline: bytes moved vs operations), not measured.</source>
        <translation>Alle Zahlen für %1 bei Stapelgröße 1 aus dem Profil jedes Geräts geschätzt (Roofline: bewegte Bytes gegen Operationen), nicht gemessen.</translation>
    </message>
    <message>
        <source>No estimate for this device yet.</source>
        <translation>Noch keine Schätzung für dieses Gerät.</translation>
    </message>
    <message>
        <source>Open a model to see whether it fits.</source>
        <translation>Ein Modell öffnen, um zu sehen, ob es passt.</translation>
    </message>
    <message>
        <source>Fits, with %1 to spare (estimated)</source>
        <translation>Passt, mit %1 Reserve (geschätzt)</translation>
    </message>
    <message>
        <source>Does not fit: %1 short (estimated)</source>
        <translation>Passt nicht: %1 zu wenig (geschätzt)</translation>
    </message>
    <message>
        <source>Memory: %1 weights + %2 peak activations of %3 available</source>
        <translation>Speicher: %1 Gewichte + %2 Spitzen-Aktivierungen von %3 verfügbar</translation>
    </message>
    <message>
        <source>Latency: %1 per inference</source>
        <translation>Latenz: %1 je Inferenz</translation>
    </message>
    <message>
        <source>, %1 per generated token</source>
        <translation>, %1 je erzeugtem Token</translation>
    </message>
    <message>
        <source>; energy %1 per inference</source>
        <translation>; Energie %1 je Inferenz</translation>
    </message>
    <message>
        <source>Runs as: %1</source>
        <translation>Läuft als: %1</translation>
    </message>
    <message>
        <source>%1 %2 % (%3)</source>
        <translation>%1 %2 % (%3)</translation>
    </message>
    <message>
        <source>compute-bound</source>
        <translation>rechengebunden</translation>
    </message>
    <message>
        <source>memory-bound</source>
        <translation>speichergebunden</translation>
    </message>
    <message>
        <source>Slowest: %1</source>
        <translation>Am langsamsten: %1</translation>
    </message>
    <message>
        <source>%1 needed (weights and peak activations), estimated</source>
        <translation>%1 benötigt (Gewichte und Spitzen-Aktivierungen), geschätzt</translation>
    </message>
    <message>
        <source>%1 of it per-operator overhead (%2 operators)</source>
        <translation>davon %1 Aufwand je Operator (%2 Operatoren)</translation>
    </message>
</context>
<context>
    <name>compresslab::DeviceProfilesDialog</name>
    <message>
        <source>Duplicate…</source>
        <translation>Duplizieren…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Calibrate This Computer</source>
        <translation>Diesen Computer kalibrieren</translation>
    </message>
    <message>
        <source>Device Profiles</source>
        <translation>Geräteprofile</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Class:</source>
        <translation>Klasse:</translation>
    </message>
    <message>
        <source>Memory for the model:</source>
        <translation>Speicher für das Modell:</translation>
    </message>
    <message>
        <source>Memory bandwidth:</source>
        <translation>Speicherbandbreite:</translation>
    </message>
    <message>
        <source>Bandwidth efficiency:</source>
        <translation>Bandbreiten-Effizienz:</translation>
    </message>
    <message>
        <source>Memory the model may use: the device&apos;s RAM minus what the system and runtime keep.</source>
        <translation>Speicher, den das Modell nutzen darf: der Arbeitsspeicher des Geräts abzüglich dessen, was System und Laufzeit belegen.</translation>
    </message>
    <message>
        <source>Peak DRAM bandwidth. Small models are limited by how fast weights stream from memory.</source>
        <translation>Spitzen-Bandbreite des Arbeitsspeichers. Kleine Modelle begrenzt, wie schnell die Gewichte aus dem Speicher fließen.</translation>
    </message>
    <message>
        <source>Share of the peak bandwidth real inference kernels reach (0.01–1).</source>
        <translation>Anteil der Spitzen-Bandbreite, den echte Inferenz-Kernel erreichen (0,01–1).</translation>
    </message>
    <message>
        <source>Share of the peak arithmetic rate real kernels reach (0.01–1).</source>
        <translation>Anteil der Spitzen-Rechenleistung, den echte Kernel erreichen (0,01–1).</translation>
    </message>
    <message>
        <source>Typical power draw while running inference; energy = power × time.</source>
        <translation>Typische Leistungsaufnahme während der Inferenz; Energie = Leistung × Zeit.</translation>
    </message>
    <message>
        <source>Fixed cost of each operator call (dispatch, kernel launch); dominates tiny models.</source>
        <translation>Fester Aufwand je Operator-Aufruf (Dispatch, Kernel-Start); beherrscht winzige Modelle.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Peak %1 operations per second, in 10⁹ (a multiply-add counts as 2).</source>
        <translation>Spitzenwert an %1-Operationen je Sekunde, in 10⁹ (ein Multiplizieren-Addieren zählt als 2).</translation>
    </message>
    <message>
        <source>real kernels</source>
        <translation>echte Kernel</translation>
    </message>
    <message>
        <source>The device&apos;s runtime has %1 kernels; without them %1 weights are unpacked and run at a wider precision.</source>
        <translation>Die Laufzeit des Geräts hat %1-Kernel; ohne sie werden %1-Gewichte entpackt und in größerer Genauigkeit gerechnet.</translation>
    </message>
    <message>
        <source>Peak %1:</source>
        <translation>Spitze %1:</translation>
    </message>
    <message>
        <source>Compute efficiency:</source>
        <translation>Rechen-Effizienz:</translation>
    </message>
    <message>
        <source>Power draw:</source>
        <translation>Leistungsaufnahme:</translation>
    </message>
    <message>
        <source>Per-operator cost:</source>
        <translation>Aufwand je Operator:</translation>
    </message>
    <message>
        <source>Sources:</source>
        <translation>Quellen:</translation>
    </message>
    <message>
        <source>An editable copy of the picked profile, under a new name.</source>
        <translation>Eine bearbeitbare Kopie des gewählten Profils unter neuem Namen.</translation>
    </message>
    <message>
        <source>Measures this machine&apos;s memory bandwidth and GEMM throughput with the kernels the app uses (about 10 s). Click again to cancel.</source>
        <translation>Misst Speicherbandbreite und GEMM-Durchsatz dieses Rechners mit den Kerneln, die die Anwendung nutzt (etwa 10 s). Erneut klicken bricht ab.</translation>
    </message>
    <message>
        <source>Your own profile: edit and save.</source>
        <translation>Ihr eigenes Profil: bearbeiten und speichern.</translation>
    </message>
    <message>
        <source>Measured on this computer: re-calibrate to update, or duplicate to edit.</source>
        <translation>Auf diesem Computer gemessen: zum Aktualisieren neu kalibrieren, zum Bearbeiten duplizieren.</translation>
    </message>
    <message>
        <source>Built-in profile: read-only; duplicate it to make your own.</source>
        <translation>Eingebautes Profil: nur lesbar; duplizieren, um ein eigenes anzulegen.</translation>
    </message>
    <message>
        <source>No sources recorded.</source>
        <translation>Keine Quellen verzeichnet.</translation>
    </message>
    <message>
        <source>values typed in the profile editor</source>
        <translation>im Profil-Editor eingegebene Werte</translation>
    </message>
    <message>
        <source>Duplicate Profile</source>
        <translation>Profil duplizieren</translation>
    </message>
    <message>
        <source>Name of the copy:</source>
        <translation>Name der Kopie:</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
    <message>
        <source>the copy needs a name</source>
        <translation>die Kopie braucht einen Namen</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not your own profile: duplicate it first</source>
        <translation>„%1“ ist nicht Ihr eigenes Profil: erst duplizieren</translation>
    </message>
    <message>
        <source>a device profile named &apos;%1&apos; exists already</source>
        <translation>ein Geräteprofil namens „%1“ gibt es schon</translation>
    </message>
    <message>
        <source>Calibrating this computer</source>
        <translation>Dieser Computer wird kalibriert</translation>
    </message>
    <message>
        <source>Cancel Calibration</source>
        <translation>Kalibrierung abbrechen</translation>
    </message>
</context>
<context>
    <name>compresslab::DeviceView</name>
    <message>
        <source>Estimating…</source>
        <translation>Schätzung läuft…</translation>
    </message>
</context>
<context>
    <name>compresslab::DistillCurvesChart</name>
    <message>
        <source>Distillation (measured on this machine)</source>
        <translation>Destillation (auf diesem Rechner gemessen)</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>accuracy on the evaluation set, %</source>
        <translation>Genauigkeit (Evaluierung), %</translation>
    </message>
    <message>
        <source>perplexity on the evaluation set</source>
        <translation>Perplexität (Evaluierung)</translation>
    </message>
    <message>
        <source>evaluation metric</source>
        <translation>Evaluierungsmetrik</translation>
    </message>
</context>
<context>
    <name>compresslab::DistillPanel</name>
    <message>
        <source>Student:</source>
        <translation>Schülermodell:</translation>
    </message>
    <message>
        <source>Student file:</source>
        <translation>Schülerdatei:</translation>
    </message>
    <message>
        <source>Quantize to:</source>
        <translation>Quantisieren auf:</translation>
    </message>
    <message>
        <source>Prune:</source>
        <translation>Pruning:</translation>
    </message>
    <message>
        <source>Training set:</source>
        <translation>Trainingsdaten:</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>Temperatur:</translation>
    </message>
    <message>
        <source>Soft-target weight α:</source>
        <translation>Weiche Ziele α:</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Schritte:</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>Batchgröße:</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>Lernrate:</translation>
    </message>
    <message>
        <source>Evaluate every:</source>
        <translation>Evaluieren alle:</translation>
    </message>
    <message>
        <source>Optimizer:</source>
        <translation>Optimierer:</translation>
    </message>
    <message>
        <source>This model, compressed</source>
        <translation>Dieses Modell, komprimiert</translation>
    </message>
    <message>
        <source>Another model file</source>
        <translation>Andere Modelldatei</translation>
    </message>
    <message>
        <source>The student learns to imitate this model (the teacher). It is either this model after compression, or a smaller network you exported with the same inputs and outputs.</source>
        <translation>Das Schülermodell lernt, dieses Modell (den Lehrer) nachzuahmen. Es ist entweder dieses Modell nach der Kompression oder ein kleineres Netz, das Sie mit denselben Ein- und Ausgaben exportiert haben.</translation>
    </message>
    <message>
        <source>TorchScript file (.pt)</source>
        <translation>TorchScript-Datei (.pt)</translation>
    </message>
    <message>
        <source>A TorchScript student whose output has the teacher&apos;s shape.</source>
        <translation>Ein TorchScript-Schülermodell, dessen Ausgabe die Form der Lehrerausgabe hat.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>%1 bits</source>
        <translation>%1 Bit</translation>
    </message>
    <message>
        <source>Weights are rounded to this many bits (per output channel). Training keeps them on that grid: the optimizer moves a float copy and every forward pass rounds it again.</source>
        <translation>Die Gewichte werden auf so viele Bit gerundet (pro Ausgabekanal). Das Training hält sie auf diesem Raster: Der Optimierer bewegt eine Gleitkommakopie, und jeder Vorwärtsdurchlauf rundet sie erneut.</translation>
    </message>
    <message>
        <source>Fraction of the smallest weights set to zero before training. Pruned weights stay zero while the student learns.</source>
        <translation>Anteil der kleinsten Gewichte, die vor dem Training auf null gesetzt werden. Entfernte Gewichte bleiben null, während das Schülermodell lernt.</translation>
    </message>
    <message>
        <source>training set (.safetensors)</source>
        <translation>Trainingsdatensatz (.safetensors)</translation>
    </message>
    <message>
        <source>The examples the student trains on. Zoo models ship theirs as train.safetensors; it must not be the evaluation set, or the measured metrics flatter the student.</source>
        <translation>Die Beispiele, mit denen das Schülermodell trainiert. Zoo-Modelle liefern ihre als train.safetensors mit; es darf nicht der Evaluierungsdatensatz sein, sonst schönen die gemessenen Metriken das Schülermodell.</translation>
    </message>
    <message>
        <source>Softens the teacher&apos;s and the student&apos;s probabilities before they are compared, so the student also learns how the teacher ranks the wrong answers. 1 = unchanged; 2–4 is usual.</source>
        <translation>Glättet die Wahrscheinlichkeiten von Lehrer und Schüler, bevor sie verglichen werden, damit der Schüler auch lernt, wie der Lehrer die falschen Antworten einordnet. 1 = unverändert; 2–4 ist üblich.</translation>
    </message>
    <message>
        <source>How much the student follows the teacher&apos;s soft targets (1) versus the dataset&apos;s hard labels (0).</source>
        <translation>Wie stark der Schüler den weichen Zielen des Lehrers (1) statt den harten Labels des Datensatzes (0) folgt.</translation>
    </message>
    <message>
        <source>Optimizer steps; each step trains on one batch.</source>
        <translation>Optimiererschritte; jeder Schritt trainiert auf einem Batch.</translation>
    </message>
    <message>
        <source>Examples per step. Larger batches give smoother but slower steps.</source>
        <translation>Beispiele pro Schritt. Größere Batches ergeben gleichmäßigere, aber langsamere Schritte.</translation>
    </message>
    <message>
        <source>Peak learning rate: how far each step moves the weights. It warms up over the first 5% of steps and decays with a cosine. Too high and the loss turns NaN: the run then stops and keeps the last good student.</source>
        <translation>Höchste Lernrate: wie weit jeder Schritt die Gewichte verschiebt. Sie steigt in den ersten 5 % der Schritte an und fällt dann kosinusförmig ab. Ist sie zu hoch, wird der Verlust NaN: Der Lauf hält dann an und behält das letzte gute Schülermodell.</translation>
    </message>
    <message>
        <source>Measure the student on the evaluation set every N steps (0: only at the end). The best measured student is kept.</source>
        <translation>Das Schülermodell alle N Schritte auf dem Evaluierungsdatensatz messen (0: nur am Ende). Das am besten gemessene Schülermodell wird behalten.</translation>
    </message>
    <message>
        <source>AdamW adapts the step per weight and is a safe default; SGD uses momentum 0.9.</source>
        <translation>AdamW passt die Schrittweite pro Gewicht an und ist eine sichere Voreinstellung; SGD verwendet ein Momentum von 0,9.</translation>
    </message>
    <message>
        <source>Learn quantization scales</source>
        <translation>Quantisierungsskalen mitlernen</translation>
    </message>
    <message>
        <source>Also train the quantization step sizes (they stay fp16, as stored). Often helps at 2–3 bits.</source>
        <translation>Auch die Schrittweiten der Quantisierung trainieren (sie bleiben fp16, wie gespeichert). Hilft oft bei 2–3 Bit.</translation>
    </message>
    <message>
        <source>Keep the student when cancelled</source>
        <translation>Schülermodell beim Abbrechen behalten</translation>
    </message>
    <message>
        <source>On Cancel, keep, measure and record the student as of its last completed step; otherwise discard it.</source>
        <translation>Beim Abbrechen das Schülermodell mit dem Stand seines letzten abgeschlossenen Schritts behalten, messen und aufzeichnen; sonst verwerfen.</translation>
    </message>
    <message>
        <source>Distill</source>
        <translation>Destillieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop after the current batch.</source>
        <translation>Nach dem aktuellen Batch anhalten.</translation>
    </message>
    <message>
        <source>Open a model and choose its evaluation set first</source>
        <translation>Zuerst ein Modell öffnen und seinen Evaluierungsdatensatz wählen</translation>
    </message>
    <message>
        <source>Start distillation in the background; the window stays usable.</source>
        <translation>Destillation im Hintergrund starten; das Fenster bleibt bedienbar.</translation>
    </message>
    <message>
        <source>Choose a training set.</source>
        <translation>Wählen Sie einen Trainingsdatensatz.</translation>
    </message>
    <message>
        <source>The learning rate must be a positive number, such as 0.001.</source>
        <translation>Die Lernrate muss eine positive Zahl sein, etwa 0.001 (mit Punkt).</translation>
    </message>
    <message>
        <source>Choose the student&apos;s file.</source>
        <translation>Wählen Sie die Datei des Schülermodells.</translation>
    </message>
    <message>
        <source>Distilling</source>
        <translation>Destillation</translation>
    </message>
    <message>
        <source>%p% — %1 s left</source>
        <translation>%p % — noch %1 s</translation>
    </message>
    <message>
        <source>%p%</source>
        <translation>%p %</translation>
    </message>
    <message>
        <source>Distillation failed: %1</source>
        <translation>Destillation fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cancelled; the student was discarded.</source>
        <translation>Abgebrochen; das Schülermodell wurde verworfen.</translation>
    </message>
    <message>
        <source>%1 after %2 of %3 steps in %4 s%5</source>
        <translation>%1 nach %2 von %3 Schritten in %4 s%5</translation>
    </message>
    <message>
        <source>Kept the best evaluated student, from step %1.</source>
        <translation>Das am besten evaluierte Schülermodell aus Schritt %1 wurde behalten.</translation>
    </message>
    <message>
        <source>%1 (measured here, %2 samples): teacher %3, student %4 → %5</source>
        <translation>%1 (hier gemessen, %2 Beispiele): Lehrer %3, Schüler %4 → %5</translation>
    </message>
    <message>
        <source>Recovered %1% of what compression lost.</source>
        <translation>%1 % dessen zurückgewonnen, was die Kompression verloren hatte.</translation>
    </message>
    <message>
        <source>Deployed size %1 (exact; training keeps it).</source>
        <translation>Größe im Einsatz %1 (exakt; das Training ändert sie nicht).</translation>
    </message>
    <message>
        <source>Recorded as experiment %1.</source>
        <translation>Als Experiment %1 aufgezeichnet.</translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>Verlauf: %1</translation>
    </message>
    <message>
        <source>Choose Training Set</source>
        <translation>Trainingsdatensatz wählen</translation>
    </message>
    <message>
        <source>CompressLab datasets (*.safetensors);;All files (*)</source>
        <translation>CompressLab-Datensätze (*.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Choose Student Model</source>
        <translation>Schülermodell wählen</translation>
    </message>
    <message>
        <source>TorchScript models (*.pt *.pth *.ptl *.torchscript);;All files (*)</source>
        <translation>TorchScript-Modelle (*.pt *.pth *.ptl *.torchscript);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Stopped early</source>
        <translation>Vorzeitig beendet</translation>
    </message>
    <message>
        <source>Time limit reached</source>
        <translation>Zeitlimit erreicht</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Diverged</source>
        <translation>Divergiert</translation>
    </message>
</context>
<context>
    <name>compresslab::ExportDialog</name>
    <message>
        <source>Also a TorchScript model with real int8 kernels (model-int8.pt)</source>
        <translation>Zusätzlich ein TorchScript-Modell mit echten int8-Kernels (model-int8.pt)</translation>
    </message>
    <message>
        <source>ONNX: model.onnx, and model-qdq.onnx for the int8 layers</source>
        <translation>ONNX: model.onnx und model-qdq.onnx für die int8-Schichten</translation>
    </message>
    <message>
        <source>Compare the ONNX models with TorchScript on the dataset</source>
        <translation>ONNX-Modelle auf dem Datensatz mit TorchScript vergleichen</translation>
    </message>
    <message>
        <source>Export Compressed Model</source>
        <translation>Komprimiertes Modell exportieren</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <source>Export Folder</source>
        <translation>Exportordner</translation>
    </message>
    <message>
        <source>Always written: model-dequantized.pt (TorchScript with the compressed weights, runs anywhere), model-packed.safetensors (the packed low-bit weights; restores the model bit-exactly). The original model file is never changed.</source>
        <translation>Immer geschrieben: model-dequantized.pt (TorchScript mit den komprimierten Gewichten, läuft überall), model-packed.safetensors (die gepackten Gewichte mit wenigen Bits; stellt das Modell bitgenau wieder her). Die ursprüngliche Modelldatei wird nie verändert.</translation>
    </message>
    <message>
        <source>Writes ONNX files for other runtimes with tools/onnx/export_onnx.py (Debian&apos;s python3-torch and python3-onnx) and checks them with onnx.checker.</source>
        <translation>Schreibt ONNX-Dateien für andere Laufzeitumgebungen mit tools/onnx/export_onnx.py (python3-torch und python3-onnx von Debian) und prüft sie mit onnx.checker.</translation>
    </message>
    <message>
        <source>Runs both ONNX files under ONNX Runtime on the chosen dataset and reports how far their outputs and metrics are from the TorchScript models&apos;.</source>
        <translation>Führt beide ONNX-Dateien mit ONNX Runtime auf dem gewählten Datensatz aus und zeigt, wie weit ihre Ausgaben und Metriken von denen der TorchScript-Modelle abweichen.</translation>
    </message>
    <message>
        <source>Not for this configuration: %1</source>
        <translation>Nicht für diese Konfiguration: %1</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Compression:</source>
        <translation>Kompression:</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Checking whether ONNX export can run here…</source>
        <translation>Prüfe, ob der ONNX-Export hier laufen kann…</translation>
    </message>
    <message>
        <source>Checking the ONNX tool</source>
        <translation>ONNX-Werkzeug prüfen</translation>
    </message>
    <message>
        <source>ONNX export is not available here: %1</source>
        <translation>ONNX-Export ist hier nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>ONNX files can be written and checked, but not compared with TorchScript: %1</source>
        <translation>ONNX-Dateien können geschrieben und geprüft, aber nicht mit TorchScript verglichen werden: %1</translation>
    </message>
    <message>
        <source>Choose a dataset (File ▸ Choose Dataset) to compare the ONNX models on it.</source>
        <translation>Wählen Sie einen Datensatz (Datei ▸ Datensatz wählen), um die ONNX-Modelle darauf zu vergleichen.</translation>
    </message>
    <message>
        <source>Linear layers become quantized::linear_dynamic: the file really runs int8 matrix kernels (oneDNN or QNNPACK: both are timed on the model&apos;s input on this machine and the faster is kept), so its speed can be measured, not assumed. Needs Linear layers.</source>
        <translation>Linear-Schichten werden zu quantized::linear_dynamic: Die Datei rechnet wirklich mit int8-Matrixkernels (oneDNN oder QNNPACK: beide werden auf diesem Rechner mit der Eingabe des Modells gemessen, der schnellere bleibt), ihre Geschwindigkeit lässt sich also messen statt annehmen. Braucht Linear-Schichten.</translation>
    </message>
</context>
<context>
    <name>compresslab::FitDialog</name>
    <message>
        <source>Fit to Device</source>
        <translation>An Gerät anpassen</translation>
    </message>
    <message>
        <source>Plans a bit width and a pruning ratio for every layer so that the model fits the budgets with the least predicted change of its output, from each layer&apos;s measured sensitivity; then measures the plan, and uniform quantization of the same size, on the dataset.</source>
        <translation>Plant für jede Schicht eine Bitbreite und einen Pruning-Anteil, sodass das Modell die Budgets mit der kleinsten vorhergesagten Änderung seiner Ausgabe einhält, aus der gemessenen Empfindlichkeit jeder Schicht; misst dann den Plan und die gleich große einheitliche Quantisierung auf dem Datensatz.</translation>
    </message>
    <message>
        <source>The device the plan is for: its memory bounds the weights, and latency is estimated on it.</source>
        <translation>Das Gerät, für das geplant wird: Sein Speicher begrenzt die Gewichte, und die Latenz wird darauf geschätzt.</translation>
    </message>
    <message>
        <source>The size of uniform quantization at</source>
        <translation>Die Größe einheitlicher Quantisierung mit</translation>
    </message>
    <message>
        <source> bits</source>
        <translation> Bit</translation>
    </message>
    <message>
        <source>At most</source>
        <translation>Höchstens</translation>
    </message>
    <message>
        <source> MB of weights</source>
        <translation> MB Gewichte</translation>
    </message>
    <message>
        <source>What the device&apos;s memory leaves after the activations</source>
        <translation>Was der Gerätespeicher nach den Aktivierungen übrig lässt</translation>
    </message>
    <message>
        <source>Compare like with like: the plan gets exactly the bytes uniform per-channel quantization at these bits takes, and both are measured.</source>
        <translation>Gleiches mit Gleichem vergleichen: Der Plan bekommt genau die Bytes, die einheitliche Quantisierung pro Kanal mit diesen Bits braucht, und beide werden gemessen.</translation>
    </message>
    <message>
        <source>Latency at most</source>
        <translation>Latenz höchstens</translation>
    </message>
    <message>
        <source> ms (estimated on the device)</source>
        <translation> ms (auf dem Gerät geschätzt)</translation>
    </message>
    <message>
        <source>Metric loss at most</source>
        <translation>Metrikverlust höchstens</translation>
    </message>
    <message>
        <source>In the metric&apos;s own units: accuracy points, or perplexity. Checked by measuring the plan.</source>
        <translation>In den Einheiten der Metrik: Genauigkeitspunkte oder Perplexität. Geprüft durch Messen des Plans.</translation>
    </message>
    <message>
        <source>Let layers be pruned (50 % or 75 % of their weights, by magnitude)</source>
        <translation>Schichten dürfen beschnitten werden (50 % oder 75 % ihrer Gewichte, nach Betrag)</translation>
    </message>
    <message>
        <source>A pruned layer is stored with a bitmap of its kept weights: it pays where a layer holds most of the model&apos;s bytes.</source>
        <translation>Eine beschnittene Schicht wird mit einer Bitmap ihrer behaltenen Gewichte gespeichert: Das lohnt sich, wo eine Schicht die meisten Bytes des Modells hält.</translation>
    </message>
    <message>
        <source>Samples of the dataset on which each layer&apos;s sensitivity is measured (cached per model).</source>
        <translation>Stichproben des Datensatzes, auf denen die Empfindlichkeit jeder Schicht gemessen wird (pro Modell zwischengespeichert).</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <source>Weights budget:</source>
        <translation>Budget für Gewichte:</translation>
    </message>
    <message>
        <source>Also:</source>
        <translation>Außerdem:</translation>
    </message>
    <message>
        <source>Sensitivity samples:</source>
        <translation>Stichproben für die Empfindlichkeit:</translation>
    </message>
    <message>
        <source>Not planned yet.</source>
        <translation>Noch nicht geplant.</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Bits</source>
        <translation>Bits</translation>
    </message>
    <message>
        <source>Pruned</source>
        <translation>Beschnitten</translation>
    </message>
    <message>
        <source>Plan and Measure</source>
        <translation>Planen und messen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Apply to the Controls</source>
        <translation>Auf die Regler anwenden</translation>
    </message>
    <message>
        <source>Sets the Compression controls to int8 per channel and each layer&apos;s width and ratio as an override (Model panel); the live measurement records it in the history.</source>
        <translation>Stellt die Kompressionsregler auf int8 pro Kanal und Breite und Anteil jeder Schicht als Überschreibung (Modellbereich); die Live-Messung trägt es in den Verlauf ein.</translation>
    </message>
    <message>
        <source>Fitting to %1</source>
        <translation>Anpassen an %1</translation>
    </message>
    <message>
        <source>Could not plan: %1</source>
        <translation>Planen nicht möglich: %1</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Measuring each layer&apos;s sensitivity, planning, then measuring the plan…</source>
        <translation>Empfindlichkeit jeder Schicht messen, planen, dann den Plan messen…</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2 of weights (exact), %3 ms (estimated), %4 %5 (measured; %6 worse than the original)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: %2 Gewichte (exakt), %3 ms (geschätzt), %4 %5 (gemessen; %6 schlechter als das Original)</translation>
    </message>
    <message>
        <source>Budget: %1 of weights on %2; %3 %4 before compression (measured).</source>
        <translation>Budget: %1 Gewichte auf %2; %3 %4 vor der Kompression (gemessen).</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Uniform</source>
        <translation>Einheitlich</translation>
    </message>
    <message>
        <source>Not met: %1</source>
        <translation>Nicht erfüllt: %1</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>dicht</translation>
    </message>
</context>
<context>
    <name>compresslab::HistoryAnnotationDialog</name>
    <message>
        <source>Tags and Notes</source>
        <translation>Schlagwörter und Notizen</translation>
    </message>
    <message>
        <source>e.g. workshop, baseline</source>
        <translation>z. B. workshop, baseline</translation>
    </message>
    <message>
        <source>Separate tags with commas; the history filters by tag.</source>
        <translation>Schlagwörter durch Kommas trennen; der Verlauf filtert nach Schlagwort.</translation>
    </message>
    <message>
        <source>&amp;Tags:</source>
        <translation>&amp;Schlagwörter:</translation>
    </message>
    <message>
        <source>&amp;Notes:</source>
        <translation>&amp;Notizen:</translation>
    </message>
</context>
<context>
    <name>compresslab::HistoryPanel</name>
    <message>
        <source>Tag</source>
        <translation>Schlagwort</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>History File…</source>
        <translation>Verlaufsdatei…</translation>
    </message>
    <message>
        <source>Use another history file (a new one is created if it does not exist)</source>
        <translation>Eine andere Verlaufsdatei verwenden (eine neue wird angelegt, wenn es sie nicht gibt)</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <source>Opening the history</source>
        <translation>Öffnen des Verlaufs</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>Alle Modelle</translation>
    </message>
    <message>
        <source>&lt;b&gt;Experiment history&lt;/b&gt; — %1 — %2 of %3 matching experiments shown</source>
        <translation>&lt;b&gt;Experimentverlauf&lt;/b&gt; — %1 — %2 von %3 passenden Experimenten angezeigt</translation>
    </message>
    <message>
        <source> (read-only)</source>
        <translation> (schreibgeschützt)</translation>
    </message>
    <message>
        <source>Experiment History File</source>
        <translation>Datei des Experimentverlaufs</translation>
    </message>
    <message>
        <source>CompressLab history (*.sqlite);;All files (*)</source>
        <translation>CompressLab-Verlauf (*.sqlite);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Alle Arten</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>Kompression</translation>
    </message>
    <message>
        <source>Distillation</source>
        <translation>Destillation</translation>
    </message>
    <message>
        <source>Sensitivity</source>
        <translation>Empfindlichkeit</translation>
    </message>
    <message>
        <source>Show only experiments of this kind</source>
        <translation>Nur Experimente dieser Art zeigen</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>Re-run</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Tags &amp;&amp; Notes…</source>
        <translation>Schlagwörter &amp;&amp; Notizen…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Undo Delete</source>
        <translation>Löschen rückgängig</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>No history is open.</source>
        <translation>Kein Verlauf ist geöffnet.</translation>
    </message>
    <message>
        <source>The history %1 is open read-only.</source>
        <translation>Der Verlauf %1 ist schreibgeschützt geöffnet.</translation>
    </message>
    <message>
        <source>Select one compression experiment to re-run it.</source>
        <translation>Wählen Sie ein Kompressionsexperiment, um es zu wiederholen.</translation>
    </message>
    <message>
        <source>Choose a dataset first (File ▸ Choose Dataset): a re-run measures the configuration on it.</source>
        <translation>Wählen Sie zuerst einen Datensatz (Datei ▸ Datensatz wählen): Eine Wiederholung misst die Konfiguration darauf.</translation>
    </message>
    <message>
        <source>Show the settings that differ and every metric&apos;s change against the first selected</source>
        <translation>Die unterschiedlichen Einstellungen und die Änderung jeder Metrik gegenüber dem zuerst ausgewählten zeigen</translation>
    </message>
    <message>
        <source>Select two or more experiments to compare them</source>
        <translation>Wählen Sie zwei oder mehr Experimente, um sie zu vergleichen</translation>
    </message>
    <message>
        <source>Set the Compression controls to this configuration; it is measured again and recorded as a new experiment</source>
        <translation>Die Kompressionsregler auf diese Konfiguration stellen; sie wird erneut gemessen und als neues Experiment aufgezeichnet</translation>
    </message>
    <message>
        <source>Edit the tags and notes of the selected experiment</source>
        <translation>Schlagwörter und Notizen des ausgewählten Experiments bearbeiten</translation>
    </message>
    <message>
        <source>Select one experiment to edit its tags and notes</source>
        <translation>Wählen Sie ein Experiment, um seine Schlagwörter und Notizen zu bearbeiten</translation>
    </message>
    <message>
        <source>Delete the selected experiments from the history (Undo brings them back)</source>
        <translation>Die ausgewählten Experimente aus dem Verlauf löschen (Rückgängig holt sie zurück)</translation>
    </message>
    <message>
        <source>Select the experiments to delete</source>
        <translation>Wählen Sie die zu löschenden Experimente</translation>
    </message>
    <message numerus="yes">
        <source>Put back the %n experiment(s) deleted last</source>
        <translation>
            <numerusform>Das zuletzt gelöschte Experiment zurückholen</numerusform>
            <numerusform>Die %n zuletzt gelöschten Experimente zurückholen</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing deleted to put back</source>
        <translation>Nichts Gelöschtes zum Zurückholen</translation>
    </message>
    <message>
        <source>Write the listed experiments (with the filters applied) as a CSV file</source>
        <translation>Die gelisteten Experimente (mit den Filtern) als CSV-Datei schreiben</translation>
    </message>
    <message>
        <source>Select two or more experiments to compare them.</source>
        <translation>Wählen Sie zwei oder mehr Experimente, um sie zu vergleichen.</translation>
    </message>
    <message>
        <source>Experiment %1&apos;s configuration is set in the Compression controls; its measurement is recorded as a new experiment.</source>
        <translation>Die Konfiguration von Experiment %1 ist in den Kompressionsreglern eingestellt; ihre Messung wird als neues Experiment aufgezeichnet.</translation>
    </message>
    <message>
        <source>It is measured on %1; the experiment used %2.</source>
        <translation>Gemessen wird auf %1; das Experiment verwendete %2.</translation>
    </message>
    <message>
        <source>Select one experiment to edit its tags and notes.</source>
        <translation>Wählen Sie ein Experiment, um seine Schlagwörter und Notizen zu bearbeiten.</translation>
    </message>
    <message>
        <source>Experiment %1: %2 on %3</source>
        <translation>Experiment %1: %2 auf %3</translation>
    </message>
    <message>
        <source>Select the experiments to delete.</source>
        <translation>Wählen Sie die zu löschenden Experimente.</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n experiment(s), then stopped: %1</source>
        <translation>
            <numerusform>%n Experiment gelöscht, dann angehalten: %1</numerusform>
            <numerusform>%n Experimente gelöscht, dann angehalten: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n experiment(s).</source>
        <translation>
            <numerusform>%n Experiment gelöscht.</numerusform>
            <numerusform>%n Experimente gelöscht.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing deleted to put back.</source>
        <translation>Nichts Gelöschtes zum Zurückholen.</translation>
    </message>
    <message>
        <source>Could not put every experiment back: %1</source>
        <translation>Nicht jedes Experiment ließ sich zurückholen: %1</translation>
    </message>
    <message numerus="yes">
        <source>Put back %n experiment(s) with all their data, as %1 (the history gives them new numbers; their uuids are unchanged).</source>
        <translation>
            <numerusform>%n Experiment mit allen Daten zurückgeholt, als %1 (der Verlauf vergibt neue Nummern; die UUIDs bleiben gleich).</numerusform>
            <numerusform>%n Experimente mit allen Daten zurückgeholt, als %1 (der Verlauf vergibt neue Nummern; die UUIDs bleiben gleich).</numerusform>
        </translation>
    </message>
    <message>
        <source>No experiments are listed to export.</source>
        <translation>Es sind keine Experimente zum Exportieren gelistet.</translation>
    </message>
    <message>
        <source>Export the Listed Experiments</source>
        <translation>Gelistete Experimente exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Exporting the history</source>
        <translation>Export des Verlaufs</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n experiment(s) to %1.</source>
        <translation>
            <numerusform>%n Experiment nach %1 geschrieben.</numerusform>
            <numerusform>%n Experimente nach %1 geschrieben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>%1 wird geschrieben…</translation>
    </message>
</context>
<context>
    <name>compresslab::HistoryTableModel</name>
    <message>
        <source>
Re-run of experiment %1: %2</source>
        <translation>
Wiederholung von Experiment %1: %2</translation>
    </message>
    <message>
        <source>%1 (re-run of %2)</source>
        <translation>%1 (Wiederholung von %2)</translation>
    </message>
    <message>
        <source>#</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Quality (measured)</source>
        <translation>Qualität (gemessen)</translation>
    </message>
    <message>
        <source>Size (exact)</source>
        <translation>Größe (exakt)</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Schlagwörter</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
</context>
<context>
    <name>compresslab::JobsPanel</name>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>Vergangen</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Cancel All</source>
        <translation>Alle abbrechen</translation>
    </message>
    <message>
        <source>Ask every running job to stop after its current batch.</source>
        <translation>Jeden laufenden Auftrag nach seinem aktuellen Stapel anhalten.</translation>
    </message>
    <message>
        <source>Clear Finished</source>
        <translation>Beendete entfernen</translation>
    </message>
    <message>
        <source>Remove the finished jobs from this list.</source>
        <translation>Die beendeten Aufträge aus dieser Liste entfernen.</translation>
    </message>
    <message>
        <source>Started %1</source>
        <translation>Gestartet %1</translation>
    </message>
    <message>
        <source>%1, about %2 left</source>
        <translation>%1, noch etwa %2</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop this job after its current batch.</source>
        <translation>Diesen Auftrag nach seinem aktuellen Stapel anhalten.</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n Auftrag läuft</numerusform>
            <numerusform>%n Aufträge laufen</numerusform>
        </translation>
    </message>
    <message>
        <source>No job running.</source>
        <translation>Kein Auftrag läuft.</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
</context>
<context>
    <name>compresslab::LayerBytesChart</name>
    <message>
        <source>Bytes per layer (as stored now)</source>
        <translation>Bytes pro Schicht (wie derzeit gespeichert)</translation>
    </message>
    <message>
        <source>bytes this layer owns</source>
        <translation>Bytes dieser Schicht</translation>
    </message>
    <message>
        <source>tied to an earlier layer (counted once)</source>
        <translation>an eine frühere Schicht gekoppelt (einmal gezählt)</translation>
    </message>
    <message>
        <source>MB</source>
        <translation>MB</translation>
    </message>
    <message>
        <source>kB</source>
        <translation>kB</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Bytes: as stored now</source>
        <translation>Bytes: wie jetzt gespeichert</translation>
    </message>
    <message>
        <source>Bytes: now and after compression</source>
        <translation>Bytes: jetzt und nach der Kompression</translation>
    </message>
    <message>
        <source>Sensitivity: output drift (KL)</source>
        <translation>Empfindlichkeit: Ausgabedrift (KL)</translation>
    </message>
    <message>
        <source>Sensitivity: metric change</source>
        <translation>Empfindlichkeit: Änderung der Metrik</translation>
    </message>
    <message>
        <source>Weight error after compression</source>
        <translation>Gewichtsfehler nach der Kompression</translation>
    </message>
    <message>
        <source>What the bars show per layer: its bytes now; its bytes with the Compression panel&apos;s current configuration; its measured sensitivity (Model ▸ Analyse Sensitivity) as the drift of the model&apos;s output or the change of its metric with only that layer compressed; or its relative weight error after the current compression.</source>
        <translation>Was die Balken je Schicht zeigen: ihre Bytes jetzt; ihre Bytes mit der aktuellen Konfiguration des Kompressionsbereichs; ihre gemessene Empfindlichkeit (Modell ▸ Empfindlichkeit analysieren) als Drift der Modellausgabe oder als Änderung der Metrik, wenn nur diese Schicht komprimiert ist; oder ihren relativen Gewichtsfehler nach der aktuellen Kompression.</translation>
    </message>
    <message>
        <source>at:</source>
        <translation>bei:</translation>
    </message>
    <message>
        <source>The compression the sensitivity views show: each layer alone quantized to this many bits (per channel, round to nearest), or pruned by this share of its smallest weights.</source>
        <translation>Die Kompression, die die Empfindlichkeitsansichten zeigen: jede Schicht allein auf so viele Bits quantisiert (pro Kanal, Runden zum nächsten Wert) oder um diesen Anteil ihrer kleinsten Gewichte beschnitten.</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>Bytes per layer, now and after compression</source>
        <translation>Bytes je Schicht, jetzt und nach der Kompression</translation>
    </message>
    <message>
        <source>The Compression panel is off:
nothing is compressed.</source>
        <translation>Der Kompressionsbereich ist aus:
nichts wird komprimiert.</translation>
    </message>
    <message>
        <source>No compressed model yet: choose a dataset
and set the Compression panel.</source>
        <translation>Noch kein komprimiertes Modell: Datensatz wählen
und den Kompressionsbereich einstellen.</translation>
    </message>
    <message>
        <source>after compression (exact)</source>
        <translation>nach der Kompression (exakt)</translation>
    </message>
    <message>
        <source>Sensitivity per layer</source>
        <translation>Empfindlichkeit je Schicht</translation>
    </message>
    <message>
        <source>Not measured yet: Model ▸ Analyse Sensitivity
(needs a dataset).</source>
        <translation>Noch nicht gemessen: Modell ▸ Empfindlichkeit analysieren
(braucht einen Datensatz).</translation>
    </message>
    <message>
        <source>Output drift with only this layer at %1</source>
        <translation>Ausgabedrift, wenn nur diese Schicht %1 hat</translation>
    </message>
    <message>
        <source>KL divergence, nats (measured; log scale)</source>
        <translation>KL-Divergenz, nats (gemessen; logarithmisch)</translation>
    </message>
    <message>
        <source>%1 change with only this layer at %2</source>
        <translation>Änderung von %1, wenn nur diese Schicht %2 hat</translation>
    </message>
    <message>
        <source>change in %1 (measured; higher is better)</source>
        <translation>Änderung von %1 (gemessen; höher ist besser)</translation>
    </message>
    <message>
        <source>change in %1 (measured; lower is better)</source>
        <translation>Änderung von %1 (gemessen; niedriger ist besser)</translation>
    </message>
    <message>
        <source>Weight error per layer after compression</source>
        <translation>Gewichtsfehler je Schicht nach der Kompression</translation>
    </message>
    <message>
        <source>relative weight error ‖W′ − W‖ / ‖W‖, % (computed exactly)</source>
        <translation>relativer Gewichtsfehler ‖W′ − W‖ / ‖W‖, % (exakt berechnet)</translation>
    </message>
    <message>
        <source>%1 (tied)</source>
        <translation>%1 (gekoppelt)</translation>
    </message>
</context>
<context>
    <name>compresslab::LayerOverrideDelegate</name>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>%1 bits</source>
        <translation>%1 Bit</translation>
    </message>
    <message>
        <source>Bits for this layer&apos;s weights when the Compression panel quantizes to integer bits; default: the panel&apos;s bits.</source>
        <translation>Bits für die Gewichte dieser Schicht, wenn der Kompressionsbereich auf ganzzahlige Bits quantisiert; Standard: die Bits des Bereichs.</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Share of this layer&apos;s weights removed when the Compression panel prunes; default: the panel&apos;s ratio.</source>
        <translation>Anteil der Gewichte dieser Schicht, der entfernt wird, wenn der Kompressionsbereich beschneidet; Standard: der Anteil des Bereichs.</translation>
    </message>
</context>
<context>
    <name>compresslab::LiveTuning</name>
    <message>
        <source>Choose an evaluation set to see each configuration measured.</source>
        <translation>Wählen Sie einen Evaluierungsdatensatz, um jede Konfiguration gemessen zu sehen.</translation>
    </message>
    <message>
        <source>No compression: the original model.</source>
        <translation>Keine Kompression: das Originalmodell.</translation>
    </message>
    <message>
        <source>Measuring the configuration</source>
        <translation>Messung der Konfiguration</translation>
    </message>
    <message>
        <source>Measuring %1…</source>
        <translation>%1 wird gemessen…</translation>
    </message>
    <message>
        <source>current configuration (quick: %1 samples)</source>
        <translation>aktuelle Konfiguration (schnell: %1 Beispiele)</translation>
    </message>
    <message>
        <source>%1 → %2, %3 on %4 samples (measured; the full set follows)</source>
        <translation>%1 → %2, %3 auf %4 Beispielen (gemessen; der vollständige Datensatz folgt)</translation>
    </message>
    <message>
        <source>Measuring the configuration on the full set</source>
        <translation>Messung der Konfiguration auf dem vollständigen Datensatz</translation>
    </message>
    <message>
        <source>current configuration (%1 samples)</source>
        <translation>aktuelle Konfiguration (%1 Beispiele)</translation>
    </message>
    <message>
        <source>%1 → %2, %3 on all %4 samples (measured)</source>
        <translation>%1 → %2, %3 auf allen %4 Beispielen (gemessen)</translation>
    </message>
    <message>
        <source>; recorded as experiment %1</source>
        <translation>; als Experiment %1 aufgezeichnet</translation>
    </message>
    <message>
        <source>; history: %1</source>
        <translation>; Verlauf: %1</translation>
    </message>
    <message>
        <source>accuracy, % (measured)</source>
        <translation>Genauigkeit, % (gemessen)</translation>
    </message>
    <message>
        <source>Reading the history</source>
        <translation>Lesen des Verlaufs</translation>
    </message>
    <message>
        <source>perplexity (measured)
lower is better</source>
        <translation>Perplexität (gemessen)
niedriger ist besser</translation>
    </message>
    <message>
        <source>Loading the model for measurements</source>
        <translation>Modell für Messungen laden</translation>
    </message>
</context>
<context>
    <name>compresslab::MainWindow</name>
    <message>
        <source>The settings file was damaged: it was kept as %1 and defaults apply</source>
        <translation>Die Einstellungsdatei war beschädigt: Sie wurde als %1 aufbewahrt, es gelten die Standardwerte</translation>
    </message>
    <message>
        <source>About CompressLab</source>
        <translation>Über CompressLab</translation>
    </message>
    <message>
        <source>&lt;b&gt;CompressLab %1&lt;/b&gt;&lt;p&gt;A workbench for compressing neural networks.&lt;/p&gt;</source>
        <translation>&lt;b&gt;CompressLab %1&lt;/b&gt;&lt;p&gt;Eine Werkbank zum Komprimieren neuronaler Netze.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The German translation compresslab_de.qm was not found in %1</source>
        <translation>Die deutsche Übersetzung compresslab_de.qm wurde nicht gefunden in: %1</translation>
    </message>
    <message>
        <source>Trade-off</source>
        <translation>Größe vs. Qualität</translation>
    </message>
    <message>
        <source>Bytes per Layer</source>
        <translation>Bytes pro Schicht</translation>
    </message>
    <message>
        <source>Experiment History</source>
        <translation>Experimentverlauf</translation>
    </message>
    <message>
        <source>Distillation</source>
        <translation>Destillation</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>Kompression</translation>
    </message>
    <message>
        <source>&amp;Open Model…</source>
        <translation>&amp;Modell öffnen…</translation>
    </message>
    <message>
        <source>Open a TorchScript model (.pt) saved with torch.jit.save</source>
        <translation>Ein mit torch.jit.save gespeichertes TorchScript-Modell (.pt) öffnen</translation>
    </message>
    <message>
        <source>Choose Data&amp;set…</source>
        <translation>Daten&amp;satz wählen…</translation>
    </message>
    <message>
        <source>Pick the evaluation set (.safetensors in the CompressLab dataset format)</source>
        <translation>Den Evaluierungsdatensatz wählen (.safetensors im CompressLab-Datensatzformat)</translation>
    </message>
    <message>
        <source>&amp;Evaluate</source>
        <translation>&amp;Evaluieren</translation>
    </message>
    <message>
        <source>Measure accuracy or perplexity of the model on the dataset, on this machine</source>
        <translation>Genauigkeit oder Perplexität des Modells auf dem Datensatz messen, auf diesem Rechner</translation>
    </message>
    <message>
        <source>Measure &amp;Latency</source>
        <translation>&amp;Latenz messen</translation>
    </message>
    <message>
        <source>Time inference at batch 1 on this machine (warm-up, then repeated runs)</source>
        <translation>Inferenzzeit bei Batchgröße 1 auf diesem Rechner messen (Aufwärmen, dann wiederholte Läufe)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop the running job after its current batch</source>
        <translation>Die laufende Aufgabe nach ihrem aktuellen Batch anhalten</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;About CompressLab</source>
        <translation>&amp;Über CompressLab</translation>
    </message>
    <message>
        <source>&amp;System Default</source>
        <translation>&amp;Systemsprache</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Demo Model</source>
        <translation>&amp;Demomodell öffnen</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Modell</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Hauptleiste</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Liste leeren</translation>
    </message>
    <message>
        <source>%1 (not built: run compresslab-cli zoo build)</source>
        <translation>%1 (nicht gebaut: compresslab-cli zoo build ausführen)</translation>
    </message>
    <message>
        <source>&lt;b&gt;No model open.&lt;/b&gt; Open a TorchScript model with File ▸ Open, drop a .pt file here, or pick a demo model from File ▸ Open Demo Model.</source>
        <translation>&lt;b&gt;Kein Modell geöffnet.&lt;/b&gt; Öffnen Sie ein TorchScript-Modell mit Datei ▸ Modell öffnen, ziehen Sie eine .pt-Datei hierher oder wählen Sie ein Demomodell unter Datei ▸ Demomodell öffnen.</translation>
    </message>
    <message>
        <source>CompressLab</source>
        <translation>CompressLab</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2 parameters, %3 of weights and buffers (file %4)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2 Parameter, %3 an Gewichten und Puffern (Datei %4)</translation>
    </message>
    <message numerus="yes">
        <source>, %n tied tensor(s) counted once</source>
        <translation>
            <numerusform>, %n gekoppelter Tensor einmal gezählt</numerusform>
            <numerusform>, %n gekoppelte Tensoren einmal gezählt</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;br&gt;Task: %1; input %2 %3</source>
        <translation>&lt;br&gt;Aufgabe: %1; Eingabe %2 %3</translation>
    </message>
    <message>
        <source>&lt;br&gt;Dataset: none chosen (File ▸ Choose Dataset)</source>
        <translation>&lt;br&gt;Datensatz: keiner gewählt (Datei ▸ Datensatz wählen)</translation>
    </message>
    <message>
        <source>&lt;br&gt;Dataset: %1</source>
        <translation>&lt;br&gt;Datensatz: %1</translation>
    </message>
    <message>
        <source>%1 — CompressLab</source>
        <translation>%1 — CompressLab</translation>
    </message>
    <message>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <source>%p% — %1 s left</source>
        <translation>%p % — noch %1 s</translation>
    </message>
    <message>
        <source>%p%</source>
        <translation>%p %</translation>
    </message>
    <message>
        <source>%1 finished in %2 s</source>
        <translation>%1 abgeschlossen in %2 s</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 cancelled</source>
        <translation>%1 abgebrochen</translation>
    </message>
    <message>
        <source>Loading %1</source>
        <translation>Laden von %1</translation>
    </message>
    <message>
        <source>%1 not opened: its weights hold NaN or Inf</source>
        <translation>%1 nicht geöffnet: Die Gewichte enthalten NaN oder Inf</translation>
    </message>
    <message>
        <source>Opened with NaN/Inf weights in: %1</source>
        <translation>Mit NaN/Inf-Gewichten geöffnet in: %1</translation>
    </message>
    <message>
        <source>Metadata warning: %1</source>
        <translation>Warnung zu den Metadaten: %1</translation>
    </message>
    <message>
        <source>NaN or Inf weights</source>
        <translation>NaN- oder Inf-Gewichte</translation>
    </message>
    <message numerus="yes">
        <source>%1 holds NaN or Inf values in %n tensor(s):

%2

Every size is still right, but accuracy, perplexity and compression errors computed from these weights will be meaningless. Open it anyway?</source>
        <translation>
            <numerusform>%1 enthält NaN- oder Inf-Werte in %n Tensor:

%2

Alle Größen stimmen weiterhin, aber Genauigkeit, Perplexität und Kompressionsfehler, die aus diesen Gewichten berechnet werden, sind bedeutungslos. Trotzdem öffnen?</numerusform>
            <numerusform>%1 enthält NaN- oder Inf-Werte in %n Tensoren:

%2

Alle Größen stimmen weiterhin, aber Genauigkeit, Perplexität und Kompressionsfehler, die aus diesen Gewichten berechnet werden, sind bedeutungslos. Trotzdem öffnen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Evaluating %1</source>
        <translation>Evaluierung von %1</translation>
    </message>
    <message>
        <source>Measuring latency of %1</source>
        <translation>Latenzmessung von %1</translation>
    </message>
    <message>
        <source>Cancelling after the current batch…</source>
        <translation>Abbruch nach dem aktuellen Batch…</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>Modell öffnen</translation>
    </message>
    <message>
        <source>TorchScript models (*.pt *.pth *.ptl *.torchscript);;All files (*)</source>
        <translation>TorchScript-Modelle (*.pt *.pth *.ptl *.torchscript);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Choose Dataset</source>
        <translation>Datensatz wählen</translation>
    </message>
    <message>
        <source>CompressLab datasets (*.safetensors);;All files (*)</source>
        <translation>CompressLab-Datensätze (*.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>classification</source>
        <translation>Klassifikation</translation>
    </message>
    <message>
        <source>language modeling</source>
        <translation>Sprachmodellierung</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>&amp;Export Compressed Model…</source>
        <translation>Komprimiertes Modell &amp;exportieren…</translation>
    </message>
    <message>
        <source>Write the model as the Compression controls set it: TorchScript, the packed artifact, int8 kernels and ONNX</source>
        <translation>Das Modell so schreiben, wie die Kompressionsregler es einstellen: TorchScript, das gepackte Artefakt, int8-Kernels und ONNX</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>Exporting %1</source>
        <translation>%1 wird exportiert</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 in %2</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) written</source>
        <translation>
            <numerusform>%n Datei geschrieben</numerusform>
            <numerusform>%n Dateien geschrieben</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Presentation Mode</source>
        <translation>&amp;Präsentationsmodus</translation>
    </message>
    <message>
        <source>Larger texts, lines and markers, readable on a projector (F5 toggles)</source>
        <translation>Größere Schrift, Linien und Markierungen, lesbar am Projektor (F5 schaltet um)</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>Gewichte</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <source>Analyse &amp;Sensitivity</source>
        <translation>Emp&amp;findlichkeit analysieren</translation>
    </message>
    <message>
        <source>Measure, layer by layer, how much the model&apos;s output changes when only that layer is quantized or pruned, on the dataset&apos;s first samples; the tree colours the layers by it</source>
        <translation>Schicht für Schicht messen, wie stark sich die Modellausgabe ändert, wenn nur diese Schicht quantisiert oder beschnitten wird, auf den ersten Beispielen des Datensatzes; der Baum färbt die Schichten danach</translation>
    </message>
    <message>
        <source>Analyse Sensitivity</source>
        <translation>Empfindlichkeit analysieren</translation>
    </message>
    <message>
        <source>Sensitivity is measured on data: choose a dataset first (File ▸ Choose Dataset).</source>
        <translation>Die Empfindlichkeit wird auf Daten gemessen: zuerst einen Datensatz wählen (Datei ▸ Datensatz wählen).</translation>
    </message>
    <message>
        <source>Analysing the sensitivity of %1</source>
        <translation>Empfindlichkeit von %1 wird analysiert</translation>
    </message>
    <message>
        <source>Jobs (%1 running)</source>
        <translation>Aufträge (%1 laufen)</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>&amp;Fit to Device…</source>
        <translation>An &amp;Gerät anpassen…</translation>
    </message>
    <message>
        <source>Plan a bit width and a pruning ratio per layer for a device under memory, latency and loss budgets, from the measured sensitivity; then measure the plan.</source>
        <translation>Für ein Gerät unter Speicher-, Latenz- und Verlustbudgets je Schicht eine Bitbreite und einen Pruning-Anteil aus der gemessenen Empfindlichkeit planen; dann den Plan messen.</translation>
    </message>
    <message>
        <source>S&amp;weep…</source>
        <translation>&amp;Durchlauf…</translation>
    </message>
    <message>
        <source>Compress and evaluate every combination of chosen bit widths and pruning ratios, each recorded in the history (measured)</source>
        <translation>Jede Kombination gewählter Bitbreiten und Pruning-Anteile komprimieren und evaluieren, jede im Verlauf eingetragen (gemessen)</translation>
    </message>
</context>
<context>
    <name>compresslab::ModelPanel</name>
    <message>
        <source>Clear Overrides</source>
        <translation>Überschreibungen löschen</translation>
    </message>
    <message>
        <source>Remove every per-layer bits, sparsity and skip setting: all layers follow the Compression panel again</source>
        <translation>Alle Einstellungen je Schicht für Bits, Sparsität und Überspringen entfernen: alle Schichten folgen wieder dem Kompressionsbereich</translation>
    </message>
    <message>
        <source>Sensitivity: not measured yet</source>
        <translation>Empfindlichkeit: noch nicht gemessen</translation>
    </message>
    <message>
        <source>Analyse Sensitivity measures, layer by layer, how much the model&apos;s output changes when only that layer is compressed; the tree then colours each layer by it.</source>
        <translation>Empfindlichkeit analysieren misst Schicht für Schicht, wie stark sich die Modellausgabe ändert, wenn nur diese Schicht komprimiert wird; der Baum färbt dann jede Schicht danach.</translation>
    </message>
    <message>
        <source>Sensitivity: output drift (KL) with one layer at %1, measured on %2 samples%3; log scale</source>
        <translation>Empfindlichkeit: Ausgabedrift (KL), wenn eine Schicht %1 hat, gemessen auf %2 Beispielen%3; logarithmisch</translation>
    </message>
    <message>
        <source> (from the cache)</source>
        <translation> (aus dem Cache)</translation>
    </message>
    <message>
        <source>Each layer&apos;s colour: the KL divergence of the model&apos;s output from the original&apos;s when only that layer is compressed, on a log scale from this model&apos;s least sensitive layer (white) to its most sensitive (red). Measured on this machine; hover over a layer for its numbers.</source>
        <translation>Die Farbe jeder Schicht: die KL-Divergenz der Modellausgabe von der des Originals, wenn nur diese Schicht komprimiert ist, logarithmisch von der unempfindlichsten Schicht dieses Modells (weiß) bis zur empfindlichsten (rot). Auf diesem Rechner gemessen; die Zahlen zeigt der Tooltip einer Schicht.</translation>
    </message>
    <message>
        <source>low</source>
        <translation>niedrig</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
</context>
<context>
    <name>compresslab::ModelTreeView</name>
    <message>
        <source>Module</source>
        <translation>Modul</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <source>Parameter elements in this module and below; tied weights count once.</source>
        <translation>Parameterelemente in diesem Modul und darunter; gekoppelte Gewichte zählen einmal.</translation>
    </message>
    <message>
        <source>This module&apos;s share of the whole model&apos;s bytes.</source>
        <translation>Anteil dieses Moduls an den Bytes des ganzen Modells.</translation>
    </message>
    <message>
        <source>Holds %1 tied to an earlier module; the model&apos;s totals count them once.</source>
        <translation>Enthält %1, die an ein früheres Modul gekoppelt sind; die Summen des Modells zählen sie einmal.</translation>
    </message>
    <message>
        <source>%1 (tied)</source>
        <translation>%1 (gekoppelt)</translation>
    </message>
    <message>
        <source>Sensitivity</source>
        <translation>Empfindlichkeit</translation>
    </message>
    <message>
        <source>Bits</source>
        <translation>Bit</translation>
    </message>
    <message>
        <source>Sparsity</source>
        <translation>Sparsität</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Auslassen</translation>
    </message>
    <message>
        <source>Measured with Model ▸ Analyse Sensitivity: how far the model&apos;s output drifts (KL divergence from the original, in nats) when only this layer is quantized to 4 bits. White: barely matters; red: the model&apos;s most sensitive layer (log scale). Compress red layers gently.</source>
        <translation>Gemessen mit Modell ▸ Empfindlichkeit analysieren: wie weit die Modellausgabe abweicht (KL-Divergenz vom Original, in nats), wenn nur diese Schicht auf 4 Bit quantisiert wird. Weiß: kaum von Belang; rot: die empfindlichste Schicht des Modells (logarithmisch). Rote Schichten behutsam komprimieren.</translation>
    </message>
    <message>
        <source>Per-layer bits, used when the Compression panel quantizes to integer bits. Double-click a layer&apos;s cell to choose; default follows the panel.</source>
        <translation>Bits je Schicht, verwendet, wenn der Kompressionsbereich auf ganzzahlige Bits quantisiert. Doppelklick auf die Zelle einer Schicht zum Wählen; Standard folgt dem Bereich.</translation>
    </message>
    <message>
        <source>Per-layer pruning ratio, used when the Compression panel prunes. Double-click a layer&apos;s cell to set it; default follows the panel.</source>
        <translation>Beschneidungsanteil je Schicht, verwendet, wenn der Kompressionsbereich beschneidet. Doppelklick auf die Zelle einer Schicht zum Setzen; Standard folgt dem Bereich.</translation>
    </message>
    <message>
        <source>Checked: the layer stays as it is (32-bit floats), whatever the Compression panel does.</source>
        <translation>Angekreuzt: die Schicht bleibt, wie sie ist (32-Bit-Gleitkommazahlen), was auch immer der Kompressionsbereich tut.</translation>
    </message>
    <message>
        <source>Measured on %1 samples: with only this layer at %2, the output drifts from the original&apos;s by KL %3 nats, and %4 changes by %5.
The colour places it between this model&apos;s least sensitive layer (white, KL %6) and its most sensitive (red, KL %7) on a log scale.</source>
        <translation>Gemessen auf %1 Beispielen: hat nur diese Schicht %2, weicht die Ausgabe um KL %3 nats von der des Originals ab, und %4 ändert sich um %5.
Die Farbe ordnet sie logarithmisch zwischen der unempfindlichsten Schicht dieses Modells (weiß, KL %6) und der empfindlichsten (rot, KL %7) ein.</translation>
    </message>
    <message>
        <source>No effect now: the Compression panel compresses nothing.</source>
        <translation>Derzeit ohne Wirkung: der Kompressionsbereich komprimiert nichts.</translation>
    </message>
    <message>
        <source>Bits for %1&apos;s weights. Double-click to choose; default follows the Compression panel.</source>
        <translation>Bits für die Gewichte von %1. Doppelklick zum Wählen; Standard folgt dem Kompressionsbereich.</translation>
    </message>
    <message>
        <source>No effect: the layer is skipped.</source>
        <translation>Ohne Wirkung: die Schicht wird ausgelassen.</translation>
    </message>
    <message>
        <source>No effect now: the Compression panel does not quantize to integer bits.</source>
        <translation>Derzeit ohne Wirkung: der Kompressionsbereich quantisiert nicht auf ganzzahlige Bits.</translation>
    </message>
    <message>
        <source>%1 bits</source>
        <translation>%1 Bit</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Share of %1&apos;s weights removed. Double-click to set; default follows the Compression panel.</source>
        <translation>Entfernter Anteil der Gewichte von %1. Doppelklick zum Setzen; Standard folgt dem Kompressionsbereich.</translation>
    </message>
    <message>
        <source>No effect now: the Compression panel does not prune (or prunes 2:4, which has a fixed ratio).</source>
        <translation>Derzeit ohne Wirkung: der Kompressionsbereich beschneidet nicht (oder beschneidet 2:4, mit festem Anteil).</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Checked: %1 stays as it is (32-bit floats), whatever the Compression panel does.</source>
        <translation>Angekreuzt: %1 bleibt, wie es ist (32-Bit-Gleitkommazahlen), was auch immer der Kompressionsbereich tut.</translation>
    </message>
    <message>
        <source>%1 (per-layer overrides set)</source>
        <translation>%1 (Einstellungen je Schicht gesetzt)</translation>
    </message>
    <message>
        <source>Bytes of parameters and buffers in this module and below as stored now; after the arrow, as the Compression panel&apos;s configuration deploys them (exact).</source>
        <translation>Bytes der Parameter und Puffer in diesem Modul und darunter, wie derzeit gespeichert; nach dem Pfeil, wie die Konfiguration des Kompressionsbereichs sie ausliefert (exakt).</translation>
    </message>
    <message>
        <source>%1 as stored now; %2 as the Compression panel&apos;s configuration deploys it (exact, %3× smaller).</source>
        <translation>%1 wie derzeit gespeichert; %2 wie die Konfiguration des Kompressionsbereichs es ausliefert (exakt, %3× kleiner).</translation>
    </message>
</context>
<context>
    <name>compresslab::ResultsPanel</name>
    <message>
        <source>Measurement</source>
        <translation>Messung</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Result (measured)</source>
        <translation>Ergebnis (gemessen)</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message numerus="yes">
        <source>%n sample(s) of %1 in %2 s; %3</source>
        <translation>
            <numerusform>%n Beispiel aus %1 in %2 s; %3</numerusform>
            <numerusform>%n Beispiele aus %1 in %2 s; %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n output(s) were NaN/Inf</source>
        <translation>
            <numerusform>; %n Ausgabe war NaN/Inf</numerusform>
            <numerusform>; %n Ausgaben waren NaN/Inf</numerusform>
        </translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>Evaluierung</translation>
    </message>
    <message>
        <source>Latency, batch %1</source>
        <translation>Latenz, Batchgröße %1</translation>
    </message>
    <message>
        <source>median %1 ms, p90 %2 ms</source>
        <translation>Median %1 ms, p90 %2 ms</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s); %1</source>
        <translation>
            <numerusform>%n Lauf; %1</numerusform>
            <numerusform>%n Läufe; %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
</context>
<context>
    <name>compresslab::SweepDialog</name>
    <message>
        <source>Sweep</source>
        <translation>Durchlauf</translation>
    </message>
    <message>
        <source>Compresses and evaluates every combination of the ticked bit widths and pruning ratios on the dataset, and records each in the experiment history with the tag &quot;sweep&quot;; the trade-off chart shows them as they finish.</source>
        <translation>Komprimiert und evaluiert jede Kombination der angekreuzten Bitbreiten und Pruning-Anteile auf dem Datensatz und trägt jede mit dem Tag „sweep“ in den Experimentverlauf ein; das Trade-off-Diagramm zeigt sie, sobald sie fertig sind.</translation>
    </message>
    <message>
        <source>fp16</source>
        <translation>fp16</translation>
    </message>
    <message>
        <source>%1 bits</source>
        <translation>%1 Bit</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Start from the Compression controls&apos; configuration</source>
        <translation>Von der Konfiguration der Kompressionsregler ausgehen</translation>
    </message>
    <message>
        <source>Every configuration takes the controls&apos; settings (granularity, method, per-layer overrides…) and varies only the ticked bit widths and pruning ratios.</source>
        <translation>Jede Konfiguration übernimmt die Einstellungen der Regler (Granularität, Methode, Einstellungen je Schicht…) und variiert nur die angekreuzten Bitbreiten und Pruning-Anteile.</translation>
    </message>
    <message>
        <source>The Compression controls have every method off.</source>
        <translation>Bei den Kompressionsreglern ist jede Methode aus.</translation>
    </message>
    <message>
        <source>Bit widths:</source>
        <translation>Bitbreiten:</translation>
    </message>
    <message>
        <source>Pruning ratios:</source>
        <translation>Pruning-Anteile:</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <source>Size (exact)</source>
        <translation>Größe (exakt)</translation>
    </message>
    <message>
        <source>Quality (measured)</source>
        <translation>Qualität (gemessen)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Stop after the configuration under way; it is still recorded</source>
        <translation>Nach der laufenden Konfiguration anhalten; sie wird noch eingetragen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>%1 configurations, each compressed, evaluated on the dataset and recorded</source>
        <translation>%1 Konfigurationen, jede komprimiert, auf dem Datensatz evaluiert und eingetragen</translation>
    </message>
    <message>
        <source>Tick at least one bit width or pruning ratio</source>
        <translation>Mindestens eine Bitbreite oder einen Pruning-Anteil ankreuzen</translation>
    </message>
    <message>
        <source>Measuring the original, then %1 configurations…</source>
        <translation>Das Original messen, dann %1 Konfigurationen…</translation>
    </message>
    <message>
        <source>Sweeping %1 configurations</source>
        <translation>Durchlauf über %1 Konfigurationen</translation>
    </message>
    <message>
        <source>%1 configurations measured and recorded in the history with the tag &quot;sweep&quot;</source>
        <translation>%1 Konfigurationen gemessen und mit dem Tag „sweep“ im Verlauf eingetragen</translation>
    </message>
    <message>
        <source>%1 configurations measured; not recorded in the history: %2</source>
        <translation>%1 Konfigurationen gemessen; nicht im Verlauf eingetragen: %2</translation>
    </message>
    <message>
        <source>Cancelled after %1 of %2 configurations (each one finished is recorded)</source>
        <translation>Abgebrochen nach %1 von %2 Konfigurationen (jede fertige ist eingetragen)</translation>
    </message>
    <message>
        <source>Stopping after the configuration under way…</source>
        <translation>Anhalten nach der laufenden Konfiguration…</translation>
    </message>
    <message>
        <source>%1 (measured)</source>
        <translation>%1 (gemessen)</translation>
    </message>
    <message>
        <source>Uncompressed: %1 %2 on %3 samples (measured)</source>
        <translation>Unkomprimiert: %1 %2 auf %3 Beispielen (gemessen)</translation>
    </message>
    <message>
        <source>Experiment %1 in the history</source>
        <translation>Experiment %1 im Verlauf</translation>
    </message>
    <message>
        <source>%1 (%2× smaller)</source>
        <translation>%1 (%2× kleiner)</translation>
    </message>
    <message>
        <source>%1 (%2%3)</source>
        <translation>%1 (%2%3)</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 of %2 configurations measured</source>
        <translation>%1 von %2 Konfigurationen gemessen</translation>
    </message>
</context>
<context>
    <name>compresslab::TradeoffChart</name>
    <message>
        <source>quality (measured)</source>
        <translation>Qualität (gemessen)</translation>
    </message>
    <message>
        <source>Size vs quality of every experiment on this model</source>
        <translation>Größe und Qualität aller Experimente mit diesem Modell</translation>
    </message>
    <message>
        <source>experiments (measured)</source>
        <translation>Experimente (gemessen)</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>Pareto-Front</translation>
    </message>
    <message>
        <source>current configuration</source>
        <translation>aktuelle Konfiguration</translation>
    </message>
    <message>
        <source>deployed size, kB (exact)</source>
        <translation>Größe im Einsatz, kB (exakt)</translation>
    </message>
    <message>
        <source>Experiment %1%2
%3
%4 kB (exact), %5 (measured)</source>
        <translation>Experiment %1%2
%3
%4 kB (exakt), %5 (gemessen)</translation>
    </message>
    <message>
        <source>, on the Pareto front</source>
        <translation>, auf der Pareto-Front</translation>
    </message>
</context>
<context>
    <name>compresslab::TunePanel</name>
    <message>
        <source>Quantize:</source>
        <translation>Quantisierung:</translation>
    </message>
    <message>
        <source>Scales:</source>
        <translation>Skalen:</translation>
    </message>
    <message>
        <source>Group size:</source>
        <translation>Gruppengröße:</translation>
    </message>
    <message>
        <source>Rounding:</source>
        <translation>Rundung:</translation>
    </message>
    <message>
        <source>Prune:</source>
        <translation>Pruning:</translation>
    </message>
    <message>
        <source>Pattern:</source>
        <translation>Muster:</translation>
    </message>
    <message>
        <source>Low rank:</source>
        <translation>Niedriger Rang:</translation>
    </message>
    <message>
        <source>Codebook:</source>
        <translation>Codebuch:</translation>
    </message>
    <message>
        <source>How many bits each weight keeps. Fewer bits: a smaller model, less accurate. Far left: off (32-bit floats); far right: 16-bit floats.</source>
        <translation>Wie viele Bit jedes Gewicht behält. Weniger Bit: ein kleineres, ungenaueres Modell. Ganz links: aus (32-Bit-Gleitkommazahlen); ganz rechts: 16-Bit-Gleitkommazahlen.</translation>
    </message>
    <message>
        <source>per channel</source>
        <translation>pro Kanal</translation>
    </message>
    <message>
        <source>per group</source>
        <translation>pro Gruppe</translation>
    </message>
    <message>
        <source>per tensor</source>
        <translation>pro Tensor</translation>
    </message>
    <message>
        <source>How many weights share one scale. Per channel: each output row has its own; per group: every N weights (more scales, more accurate, slightly larger); per tensor: one for the whole layer.</source>
        <translation>Wie viele Gewichte sich eine Skala teilen. Pro Kanal: Jede Ausgabezeile hat ihre eigene; pro Gruppe: je N Gewichte (mehr Skalen, genauer, etwas größer); pro Tensor: eine für die ganze Schicht.</translation>
    </message>
    <message>
        <source>Weights per scale with per-group quantization. Layers whose width it does not divide use per-channel scales.</source>
        <translation>Gewichte pro Skala bei gruppenweiser Quantisierung. Schichten, deren Breite nicht durch diesen Wert teilbar ist, verwenden Skalen pro Kanal.</translation>
    </message>
    <message>
        <source>Symmetric</source>
        <translation>Symmetrisch</translation>
    </message>
    <message>
        <source>Symmetric: the grid is centred on zero. Asymmetric adds a zero-point per scale, which fits lopsided weights better at a small cost in size.</source>
        <translation>Symmetrisch: Das Raster ist um null zentriert. Asymmetrisch fügt pro Skala einen Nullpunkt hinzu, der schief verteilte Gewichte besser trifft, bei etwas mehr Größe.</translation>
    </message>
    <message>
        <source>Round to nearest</source>
        <translation>Auf nächsten Wert runden</translation>
    </message>
    <message>
        <source>GPTQ (uses data)</source>
        <translation>GPTQ (nutzt Daten)</translation>
    </message>
    <message>
        <source>Round to nearest treats each weight alone. GPTQ corrects the rounding error of each weight in the ones not yet rounded, using the evaluation data: slower, and better at 2–4 bits.</source>
        <translation>„Auf nächsten Wert runden“ behandelt jedes Gewicht für sich. GPTQ gleicht den Rundungsfehler jedes Gewichts in den noch nicht gerundeten aus und nutzt dazu die Evaluierungsdaten: langsamer und besser bei 2–4 Bit.</translation>
    </message>
    <message>
        <source>Share of weights removed (set to zero), smallest first. Zeros are only free when the pattern lets the tensor really shrink; the size shown counts how they are stored.</source>
        <translation>Anteil der entfernten (auf null gesetzten) Gewichte, die kleinsten zuerst. Nullen sind nur dann kostenlos, wenn das Muster den Tensor wirklich schrumpfen lässt; die angezeigte Größe zählt, wie sie gespeichert werden.</translation>
    </message>
    <message>
        <source>unstructured</source>
        <translation>unstrukturiert</translation>
    </message>
    <message>
        <source>structured (whole neurons)</source>
        <translation>strukturiert (ganze Neuronen)</translation>
    </message>
    <message>
        <source>2:4</source>
        <translation>2:4</translation>
    </message>
    <message>
        <source>Unstructured removes single weights anywhere; structured removes whole neurons, so layers really get smaller and faster; 2:4 keeps 2 of every 4 (the sparsity is then always 50%).</source>
        <translation>Unstrukturiert entfernt einzelne Gewichte an beliebiger Stelle; strukturiert entfernt ganze Neuronen, sodass Schichten wirklich kleiner und schneller werden; 2:4 behält 2 von je 4 (die Sparsität ist dann immer 50 %).</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>Low-rank factorisation: each Linear layer becomes two thinner ones keeping this share of its rank. 0 turns it off.</source>
        <translation>Niedrigrang-Faktorisierung: Jede Linear-Schicht wird zu zwei schmaleren, die diesen Anteil ihres Rangs behalten. 0 schaltet sie aus.</translation>
    </message>
    <message>
        <source>%1 values (%2 bits)</source>
        <translation>%1 Werte (%2 Bit)</translation>
    </message>
    <message>
        <source>Weight sharing: every weight of a layer becomes one of 2^k shared values found by k-means (Deep Compression). Replaces bit quantization when on.</source>
        <translation>Gewichtsteilung: Jedes Gewicht einer Schicht wird zu einem von 2^k gemeinsamen Werten, die k-Means findet (Deep Compression). Ersetzt die Bit-Quantisierung, wenn aktiv.</translation>
    </message>
    <message>
        <source>fp16</source>
        <translation>fp16</translation>
    </message>
    <message>
        <source>%1 bits</source>
        <translation>%1 Bit</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
</context>
<context>
    <name>compresslab::WeightHistogramChart</name>
    <message>
        <source>Log scale</source>
        <translation>Log-Skala</translation>
    </message>
    <message>
        <source>Counts on a logarithmic axis: rare values (outliers, the tails) become visible</source>
        <translation>Anzahlen auf logarithmischer Achse: seltene Werte (Ausreißer, die Ränder) werden sichtbar</translation>
    </message>
    <message>
        <source>after (as the compressed model holds them)</source>
        <translation>nachher (wie das komprimierte Modell sie hält)</translation>
    </message>
    <message>
        <source>weight value</source>
        <translation>Gewichtswert</translation>
    </message>
    <message>
        <source>no compression configured: after = before</source>
        <translation>keine Kompression eingestellt: nachher = vorher</translation>
    </message>
    <message>
        <source>skipped by the configuration: after = before</source>
        <translation>von der Konfiguration übersprungen: nachher = vorher</translation>
    </message>
    <message>
        <source>the configuration does not compress %1 layers: after = before</source>
        <translation>die Konfiguration komprimiert keine %1-Schichten: nachher = vorher</translation>
    </message>
    <message>
        <source>the layer has no weights</source>
        <translation>die Schicht hat keine Gewichte</translation>
    </message>
    <message>
        <source>no uniform grid: each weight is rounded to the nearest 16-bit float</source>
        <translation>kein gleichmäßiges Raster: jedes Gewicht wird auf die nächste 16-Bit-Gleitkommazahl gerundet</translation>
    </message>
    <message>
        <source>no grid drawn: it applies to the two low-rank factors, not to their product</source>
        <translation>kein Raster gezeichnet: es gilt für die beiden Low-Rank-Faktoren, nicht für ihr Produkt</translation>
    </message>
    <message>
        <source>not quantized: kept weights keep their 32-bit values</source>
        <translation>nicht quantisiert: behaltene Gewichte behalten ihre 32-Bit-Werte</translation>
    </message>
    <message>
        <source>after = before</source>
        <translation>nachher = vorher</translation>
    </message>
    <message>
        <source>shares its weight with %1 (compressed once, as %1)</source>
        <translation>teilt ihr Gewicht mit %1 (einmal komprimiert, als %1)</translation>
    </message>
    <message>
        <source>%1 (%2 %3)</source>
        <translation>%1 (%2 %3)</translation>
    </message>
    <message>
        <source>%1 weights</source>
        <translation>%1 Gewichte</translation>
    </message>
    <message>
        <source>codebook: %1 shared values</source>
        <translation>Codebuch: %1 gemeinsame Werte</translation>
    </message>
    <message>
        <source>weights per bin (log scale)</source>
        <translation>Gewichte pro Klasse (Log-Skala)</translation>
    </message>
    <message>
        <source>weights per bin</source>
        <translation>Gewichte pro Klasse</translation>
    </message>
    <message>
        <source>before (original)</source>
        <translation>vorher (Original)</translation>
    </message>
    <message>
        <source>%1 set to zero by pruning (%2 removed with their rows or inputs)</source>
        <translation>%1 durch Pruning auf null gesetzt (%2 mit ihren Zeilen oder Eingängen entfernt)</translation>
    </message>
    <message>
        <source>%1 set to zero by pruning</source>
        <translation>%1 durch Pruning auf null gesetzt</translation>
    </message>
    <message>
        <source>|error| mean %1, max %2</source>
        <translation>|Fehler| Mittel %1, max. %2</translation>
    </message>
    <message>
        <source>%1 distinct values after (%2 before)</source>
        <translation>%1 verschiedene Werte nachher (%2 vorher)</translation>
    </message>
    <message>
        <source>grid of the tensor, %1 levels</source>
        <translation>Raster des Tensors, %1 Stufen</translation>
    </message>
    <message>
        <source>grid of channel %1 of %2 (the widest), %3 levels</source>
        <translation>Raster von Kanal %1 von %2 (der breiteste), %3 Stufen</translation>
    </message>
    <message>
        <source>grid of channel %1 of %2, %3 levels</source>
        <translation>Raster von Kanal %1 von %2, %3 Stufen</translation>
    </message>
    <message>
        <source>grid of group %1 of %2 (the widest), %3 levels</source>
        <translation>Raster von Gruppe %1 von %2 (die breiteste), %3 Stufen</translation>
    </message>
    <message>
        <source>grid of group %1 of %2, %3 levels</source>
        <translation>Raster von Gruppe %1 von %2, %3 Stufen</translation>
    </message>
</context>
<context>
    <name>compresslab::WeightHistogramView</name>
    <message>
        <source>Open a model to see the weights of its layers</source>
        <translation>Öffnen Sie ein Modell, um die Gewichte seiner Schichten zu sehen</translation>
    </message>
    <message>
        <source>This model has no Linear layer: pick a Conv or Embedding layer in the tree</source>
        <translation>Dieses Modell hat keine Linear-Schicht: Wählen Sie im Baum eine Conv- oder Embedding-Schicht</translation>
    </message>
    <message>
        <source>%1 is a %2: pick a Linear, Conv or Embedding layer</source>
        <translation>%1 ist ein %2: Wählen Sie eine Linear-, Conv- oder Embedding-Schicht</translation>
    </message>
    <message>
        <source>GPTQ calibrates on data: choose a dataset (File ▸ Choose Dataset) to see its weights</source>
        <translation>GPTQ kalibriert auf Daten: Wählen Sie einen Datensatz (Datei ▸ Datensatz wählen), um seine Gewichte zu sehen</translation>
    </message>
    <message>
        <source>Weight histogram</source>
        <translation>Gewichtshistogramm</translation>
    </message>
    <message>
        <source>Computing the weights of %1…</source>
        <translation>Berechne die Gewichte von %1…</translation>
    </message>
    <message>
        <source>Computed in %1 ms (measured). Pick a layer in the tree to see its weights.</source>
        <translation>Berechnet in %1 ms (gemessen). Wählen Sie im Baum eine Schicht, um ihre Gewichte zu sehen.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>CompressLab: a workbench for compressing neural networks.</source>
        <translation>CompressLab: eine Werkbank zum Komprimieren neuronaler Netze.</translation>
    </message>
    <message>
        <source>TorchScript model to open.</source>
        <translation>Zu öffnendes TorchScript-Modell.</translation>
    </message>
    <message>
        <source>Save a PNG of the window once the model is open, then quit.</source>
        <translation>Ein PNG des Fensters speichern, sobald das Modell geöffnet ist, dann beenden.</translation>
    </message>
    <message>
        <source>Evaluate the model on its dataset after opening it.</source>
        <translation>Das Modell nach dem Öffnen auf seinem Datensatz evaluieren.</translation>
    </message>
    <message>
        <source>With --screenshot: first distill the model quantized to BITS, other settings as the panel&apos;s defaults.</source>
        <translation>Mit --screenshot: zuerst das auf BITS quantisierte Modell destillieren, übrige Einstellungen wie im Bedienfeld vorgegeben.</translation>
    </message>
    <message>
        <source>With --screenshot: first move the quantization control to BITS and wait for its measurement.</source>
        <translation>Mit --screenshot: zuerst den Quantisierungsregler auf BITS stellen und auf seine Messung warten.</translation>
    </message>
    <message>
        <source>Start in presentation mode: larger texts, lines and markers (F5 toggles).</source>
        <translation>Im Präsentationsmodus starten: größere Schrift, Linien und Markierungen (F5 schaltet um).</translation>
    </message>
    <message>
        <source>Show the chart tab or the docked panel titled NAME (for example Devices or Jobs).</source>
        <translation>Den Diagramm-Reiter oder das angedockte Fenster mit dem Titel NAME zeigen (zum Beispiel Geräte oder Aufträge).</translation>
    </message>
</context>
</TS>
