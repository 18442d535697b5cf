<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>main</name>
    <message>
        <source>Inspect, plan and convert LLM model files.</source>
        <translation>LLM-Modelldateien untersuchen, planen und umwandeln.</translation>
    </message>
    <message>
        <source>Model file or folder to open.</source>
        <translation>Zu öffnende Modelldatei oder zu öffnender Ordner.</translation>
    </message>
    <message>
        <source>Model to open.</source>
        <translation>Zu öffnendes Modell.</translation>
    </message>
    <message>
        <source>Save the window as a PNG and quit.</source>
        <translation>Das Fenster als PNG speichern und beenden.</translation>
    </message>
    <message>
        <source>Page to show.</source>
        <translation>Anzuzeigende Seite.</translation>
    </message>
    <message>
        <source>Tensor to select.</source>
        <translation>Auszuwählender Tensor.</translation>
    </message>
</context>
<context>
    <name>matryx::MainWindow</name>
    <message>
        <source>Matryx</source>
        <translation>Matryx</translation>
    </message>
    <message>
        <source>Filter tensors by name, e.g. blk.0. or attn_q</source>
        <translation>Tensoren nach Namen filtern, z. B. blk.0. oder attn_q</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>&amp;Ordner öffnen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>Modell öffnen</translation>
    </message>
    <message>
        <source>Model files (*.gguf *.safetensors);;GGUF (*.gguf);;safetensors (*.safetensors);;All files (*)</source>
        <translation>Modelldateien (*.gguf *.safetensors);;GGUF (*.gguf);;safetensors (*.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open Hugging Face Model Folder</source>
        <translation>Hugging-Face-Modellordner öffnen</translation>
    </message>
    <message>
        <source>%1 — Matryx</source>
        <translation>%1 — Matryx</translation>
    </message>
    <message>
        <source>Cannot open model</source>
        <translation>Modell kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Matryx cannot open %1.</source>
        <translation>Matryx kann %1 nicht öffnen.</translation>
    </message>
</context>
<context>
    <name>matryx::ModelSummaryLabel</name>
    <message>
        <source>No model open</source>
        <translation>Kein Modell geöffnet</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 parameters · %4 · %5 bits/weight</source>
        <translation>%1 · %2 · %3 Parameter · %4 · %5 Bit/Gewicht</translation>
    </message>
    <message>
        <source>unknown architecture</source>
        <translation>unbekannte Architektur</translation>
    </message>
</context>
<context>
    <name>matryx::TensorTableModel</name>
    <message>
        <source>%1 bytes at offset %2</source>
        <translation>%1 Bytes ab Position %2</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>Tensor</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
</context>
</TS>
