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
    <message>
        <source>Type to compare the tensor with.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::ChannelAbsMaxPlot</name>
    <message>
        <source>Drag to pan, wheel to zoom, double-click to show all channels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max |x|</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::HistogramPlot</name>
    <message>
        <source>Drag to pan, wheel to zoom, double-click to show all bins.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value (symmetric log, linear within ±%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>count (log)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::LayerHeatmap</name>
    <message>
        <source>Excess kurtosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Largest |x|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of outliers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantization error at %1 bits (relative RMSE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model to see its layers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring the error of every matrix at %1 bits…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This model has no layers of matrices to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::LogView</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show from:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debug</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::MainWindow</name>
    <message>
        <source>Matryx</source>
        <translation>Matryx</translation>
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
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device: …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The quick brown fox jumps over the lazy dog. Quantization: 4-bit, 8-bit; ✓ 2026!</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tokenizer for this model: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statistics %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop computing the statistics of every tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No statistics: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statistics of the model failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled. Open the model again to compute the statistics.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load Plan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save Plan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No longer found, removed from the recent files: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing the statistics of every tensor…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened %1: %2 tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plans (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matryx cannot save the plan to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot load the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matryx cannot load the plan %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan loaded from %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::MetadataTableModel</name>
    <message>
        <source>string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>arrays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>boolean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>booleans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>float</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>floats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>integer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>integers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… %1 more items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished">Type</translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::MetadataView</name>
    <message>
        <source>Filter keys, e.g. tokenizer or context_length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a key to see its whole value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy selected rows</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::ModelBrowser</name>
    <message>
        <source>Regex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter tensors, e.g. blk.0. or attn_q</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the filter as a regular expression, e.g. blk\.(1|2)\..*ffn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 tensors shown</source>
        <translation type="unfinished"></translation>
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
    <name>matryx::ModelTreeModel</name>
    <message>
        <source>scalar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoder layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decoder layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes at offset %2</source>
        <translation type="unfinished">%1 octets à la position %2</translation>
    </message>
    <message>
        <source>%1 elements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation type="unfinished">Tenseur</translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished">Type</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation type="unfinished">Forme</translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished">Taille</translation>
    </message>
    <message>
        <source>Share</source>
        <translation type="unfinished">Part</translation>
    </message>
</context>
<context>
    <name>matryx::ModelTreeProxy</name>
    <message>
        <source>Invalid regular expression at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::OutlierTableModel</name>
    <message>
        <source>Distance from the mean in standard deviations: |x − mean| / std</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>σ</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::PlanEditor</name>
    <message>
        <source>No preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edges high, middle low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matryoshka int8 slice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matryoshka int4 slice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matryoshka int2 slice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>llama.cpp&apos;s choice of type for every tensor, as llama-quantize makes it, or a starting point of Matryx&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bits (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign to selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected cells&apos; own types; the preset and rules decide again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule: regular expression, e.g. blk\.(0|1|2)\.|ffn_down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start from:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not applied: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predicted file: %1 (%2 bytes) · %3 bits/weight · %4 tensors, %5 with their own type, %6 rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This plan cannot be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tensors to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear %1 tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule %1 = %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::PlanGridModel</name>
    <message>
        <source>%1: %2
%3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::QuantizationErrorView</name>
    <message>
        <source>error (quantized − original)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a type under “Compare with” to see what quantizing to it does.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No comparison: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: RMSE %2 (%3% of the values&apos; RMS), largest error %4, over %5 values</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::StatsPanel</name>
    <message>
        <source>Elements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Abs max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Std</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Population standard deviation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kurtosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excess kurtosis: 0 for a normal distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outliers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NaN / ±inf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outliers &gt; %1σ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::TensorInspector</name>
    <message>
        <source>%1 · %2 · %3 values · %4 rows of %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scalar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Largest |x| per row and per column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantization error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of histogram bins; the statistics are computed again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linear counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linear values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Symmetric-log values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Symmetric log: linear near zero, logarithmic in the tails.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with: none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantize the tensor to this type and show the values and the error it gives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bins:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Largest values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The values of largest magnitude; select one to mark it in the plots.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing statistics…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a tensor to inspect its values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot compute statistics: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::TensorStatsJob</name>
    <message>
        <source>The open model has no tensor named %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>matryx::TokenizerView</name>
    <message>
        <source>Add BOS/EOS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parse special tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre-tokenizer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adds:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Special token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type text to see its tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add BOS and EOS where the vocabulary asks for them, as the model sees a prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read special tokens written in the text, such as &lt;|im_start|&gt;, as their ids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tokens appear here, each with its id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BPE, byte-level (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SentencePiece BPE (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WordPiece (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unigram (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tokenizer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BOS at the start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EOS at the end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a space before the text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BOS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EOS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EOT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EOM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Padding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Separator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FIM prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FIM suffix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FIM middle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>control</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user-defined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1 bytes per token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and %1 more tokens</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
