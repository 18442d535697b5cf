<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>main</name>
    <message>
        <source>Inspect, plan and convert LLM model files.</source>
        <translation>Inspecter, planifier et convertir des fichiers de modèles LLM.</translation>
    </message>
    <message>
        <source>Model file or folder to open.</source>
        <translation>Fichier ou dossier de modèle à ouvrir.</translation>
    </message>
    <message>
        <source>Model to open.</source>
        <translation>Modèle à ouvrir.</translation>
    </message>
    <message>
        <source>Save the window as a PNG and quit.</source>
        <translation>Enregistrer la fenêtre en PNG et quitter.</translation>
    </message>
    <message>
        <source>Page to show.</source>
        <translation>Page à afficher.</translation>
    </message>
    <message>
        <source>Tensor to select.</source>
        <translation>Tenseur à sélectionner.</translation>
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
        <translation>Filtrer les tenseurs par nom, p. ex. blk.0. ou attn_q</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>Ouverture de %1…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Ouvrir…</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>Ouvrir un &amp;dossier…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>Ouvrir un modèle</translation>
    </message>
    <message>
        <source>Model files (*.gguf *.safetensors);;GGUF (*.gguf);;safetensors (*.safetensors);;All files (*)</source>
        <translation>Fichiers de modèle (*.gguf *.safetensors);;GGUF (*.gguf);;safetensors (*.safetensors);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Open Hugging Face Model Folder</source>
        <translation>Ouvrir un dossier de modèle Hugging Face</translation>
    </message>
    <message>
        <source>%1 — Matryx</source>
        <translation>%1 — Matryx</translation>
    </message>
    <message>
        <source>Cannot open model</source>
        <translation>Impossible d’ouvrir le modèle</translation>
    </message>
    <message>
        <source>Matryx cannot open %1.</source>
        <translation>Matryx ne peut pas ouvrir %1.</translation>
    </message>
</context>
<context>
    <name>matryx::ModelSummaryLabel</name>
    <message>
        <source>No model open</source>
        <translation>Aucun modèle ouvert</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 parameters · %4 · %5 bits/weight</source>
        <translation>%1 · %2 · %3 paramètres · %4 · %5 bits/poids</translation>
    </message>
    <message>
        <source>unknown architecture</source>
        <translation>architecture inconnue</translation>
    </message>
</context>
<context>
    <name>matryx::TensorTableModel</name>
    <message>
        <source>%1 bytes at offset %2</source>
        <translation>%1 octets à la position %2</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>Tenseur</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forme</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Part</translation>
    </message>
</context>
</TS>
