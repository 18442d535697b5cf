// The Mix'n'Match editor on the demo model: the grid, assigning a type to a cell and to a dragged
// range, rules, undo and redo, and the prediction checked against matryx-cli plan on the saved
// plan.

#include "change_plan_command.h"
#include "format/gguf_reader.h"
#include "plan_editor.h"
#include "plan_grid_model.h"
#include "plan_size_error_chart.h"
#include "quant/plan_json.h"

#include <QComboBox>
#include <QItemSelectionModel>
#include <QLabel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <algorithm>

using namespace matryx;

class PlanEditorTest : public QObject {
    Q_OBJECT
private:
    std::shared_ptr<const Model> model_;

    const ResolvedTensor& resolvedTensor(const PlanEditor& editor, const std::string& name) {
        for (const auto& t : editor.resolved()->tensors)
            if (t.name == name) return t;
        qFatal("no tensor %s", name.c_str());
    }
    static QModelIndex cellOf(const PlanEditor& editor, int layer, const QString& kind) {
        return editor.gridModel()->index(layer, int(editor.gridModel()->kinds().indexOf(kind)));
    }
    static void select(PlanEditor& editor, const QModelIndex& from, const QModelIndex& to) {
        editor.grid()->selectionModel()->select(QItemSelection(from, to), QItemSelectionModel::ClearAndSelect);
    }

private slots:
    void initTestCase() {
        const QString demo = qEnvironmentVariable("MATRYX_DEMO_MODEL");
        QVERIFY2(QFileInfo::exists(demo), "demo model missing: run packaging/bootstrap.sh models");
        auto model = readGguf(demo.toStdString());
        QVERIFY(model);
        model_ = std::make_shared<const Model>(std::move(*model));
    }

    void startsFromQ4KMOnTheWholeGrid() {
        PlanEditor editor;
        editor.setModel(model_);
        QCOMPARE(editor.gridModel()->rowCount(), 30);
        QCOMPARE(editor.gridModel()->kinds().size(), 7);
        QCOMPARE(editor.presetBox()->currentText(), QStringLiteral("Q4_K_M"));
        const auto expected = Plan::fromPreset(LlamaFileType::Q4_K_M).resolve(*model_);
        QVERIFY(expected);
        QCOMPARE(editor.resolved()->fileBytes, expected->fileBytes);
        QCOMPARE(cellOf(editor, 0, QStringLiteral("attn_v")).data().toString(), QStringLiteral("Q8_0"));
        QCOMPARE(editor.gridModel()->tensorAt(cellOf(editor, 3, QStringLiteral("ffn_down"))),
                 QStringLiteral("blk.3.ffn_down.weight"));
        QCOMPARE(editor.undoStack()->count(), 0);
    }

    void aCellChangesTheSizeByItsBytesAndUndoRestoresIt() {
        PlanEditor editor;
        editor.setModel(model_);
        const ResolvedPlan before = *editor.resolved();
        const ResolvedTensor& old = resolvedTensor(editor, "blk.3.ffn_down.weight");
        const uint64_t oldBytes = old.bytes;
        QCOMPARE(old.target, TensorType::Q4_K);
        QSignalSpy changed(&editor, &PlanEditor::planChanged);
        const QModelIndex cell = cellOf(editor, 3, QStringLiteral("ffn_down"));
        select(editor, cell, cell);
        QCOMPARE(editor.assignToSelection(TensorType::Q8_0), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(cell.data().toString(), QStringLiteral("Q8_0"));
        const uint64_t elements = 1536 * 576;
        QCOMPARE(oldBytes, *bytesFor(TensorType::Q4_K, elements));
        // The tensor data grows by exactly the difference of the two types' sizes.
        QCOMPARE(editor.resolved()->tensorBytes - before.tensorBytes,
                 *bytesFor(TensorType::Q8_0, elements) - *bytesFor(TensorType::Q4_K, elements));
        QVERIFY(editor.resolved()->fileBytes > before.fileBytes);

        editor.undoStack()->undo();
        QCOMPARE(editor.plan(), Plan::fromPreset(LlamaFileType::Q4_K_M));
        QCOMPARE(editor.resolved()->fileBytes, before.fileBytes);
        QCOMPARE(cell.data().toString(), QStringLiteral("Q4_K"));
        editor.undoStack()->redo();
        QCOMPARE(cell.data().toString(), QStringLiteral("Q8_0"));
    }

    void matryxStartingPoints() {
        PlanEditor editor;
        editor.setModel(model_);
        const auto choose = [&](const QString& text) {
            const int index = editor.presetBox()->findText(text);
            QVERIFY(index >= 0);
            editor.presetBox()->setCurrentIndex(index);
            emit editor.presetBox()->activated(index);
        };
        choose(QStringLiteral("Edges high, middle low"));
        QCOMPARE(cellOf(editor, 0, QStringLiteral("ffn_down")).data().toString(), QStringLiteral("Q6_K"));
        QCOMPARE(cellOf(editor, 29, QStringLiteral("ffn_down")).data().toString(), QStringLiteral("Q6_K"));
        QCOMPARE(cellOf(editor, 10, QStringLiteral("ffn_down")).data().toString(), QStringLiteral("Q3_K"));
        choose(QStringLiteral("Matryoshka int4 slice"));
        for (int layer = 0; layer < 30; ++layer)
            QCOMPARE(cellOf(editor, layer, QStringLiteral("attn_q")).data().toString(), QStringLiteral("Q4_1"));
        editor.undoStack()->undo();
        QCOMPARE(cellOf(editor, 0, QStringLiteral("ffn_down")).data().toString(), QStringLiteral("Q6_K"));
    }

    void predictsTheErrorFromTheMeasuredTypes() {
        PlanEditor editor;
        editor.setModel(model_);
        QVERIFY(!editor.predictedError()); // nothing measured
        QSignalSpy requested(&editor, &PlanEditor::typeErrorsRequested);
        editor.predictError();
        QCOMPARE(requested.count(), 1);
        const auto types = requested.first().first().value<std::vector<TensorType>>();
        QVERIFY(std::find(types.begin(), types.end(), TensorType::Q4_K) != types.end());
        QVERIFY(!editor.predictedError());
        // Made-up measurements: 1% for every tensor at Q4_K, 3% at every other type asked for.
        std::vector<std::vector<TensorQuantizationError>> errors;
        for (TensorType type : types) {
            std::vector<TensorQuantizationError> list;
            for (size_t i = 0; i < model_->tensors.size(); ++i)
                list.push_back({i, type, type == TensorType::Q4_K ? 0.01 : 0.03, 0});
            errors.push_back(list);
        }
        editor.setTypeErrors(types, errors);
        double weighted = 0, values = 0;
        for (const auto& t : editor.resolved()->tensors) {
            if (t.step == PlanStep::Kept) continue;
            values += double(t.elements);
            if (t.target != t.source) weighted += double(t.elements) * (t.target == TensorType::Q4_K ? 0.01 : 0.03);
        }
        QVERIFY(editor.predictedError());
        QCOMPARE(*editor.predictedError(), weighted / values);
        QVERIFY(editor.summaryLabel()->text().contains(QStringLiteral("predicted error")));
        // The chart shows llama.cpp's six uniform presets (their types were asked for too) and the plan.
        QCOMPARE(editor.chart()->presetCount(), 6);
        QVERIFY(editor.chart()->showsPlan());
        // A type not measured yet is asked for.
        const QModelIndex cell = cellOf(editor, 3, QStringLiteral("ffn_down"));
        select(editor, cell, cell);
        editor.assignToSelection(TensorType::IQ4_NL);
        QCOMPARE(requested.count(), 2);
        QCOMPARE(requested.last().first().value<std::vector<TensorType>>(), std::vector<TensorType>{TensorType::IQ4_NL});
        QVERIFY(!editor.predictedError());
        QVERIFY(!editor.chart()->showsPlan());
    }

    void aRangeARuleAndThePredictionMatchTheCommandLine() {
        PlanEditor editor;
        editor.setModel(model_);
        // Layers 0-3 of attn_q .. attn_v, as a drag over the grid selects them.
        select(editor, cellOf(editor, 0, QStringLiteral("attn_q")), cellOf(editor, 3, QStringLiteral("attn_v")));
        QCOMPARE(editor.assignToSelection(TensorType::Q6_K), 12);
        QCOMPARE(editor.plan().overrides.size(), size_t(12));
        QCOMPARE(cellOf(editor, 2, QStringLiteral("attn_k")).data().toString(), QStringLiteral("Q8_0")); // fallback
        editor.addRule(QStringLiteral("ffn_up"), TensorType::Q5_0);
        for (int layer = 0; layer < 30; ++layer)
            QCOMPARE(cellOf(editor, layer, QStringLiteral("ffn_up")).data().toString(), QStringLiteral("Q5_0"));
        // A rule that is not a regular expression is refused, not pushed.
        const int edits = editor.undoStack()->count();
        editor.addRule(QStringLiteral("(unclosed"), TensorType::Q8_0);
        QCOMPARE(editor.undoStack()->count(), edits);
        QVERIFY(editor.summaryLabel()->text().startsWith(QStringLiteral("Not applied")));

        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("mix.json"));
        QVERIFY(savePlan(editor.plan(), file.toStdString(), Overwrite::No));
        const QString cli = qEnvironmentVariable("MATRYX_CLI");
        QVERIFY2(QFileInfo::exists(cli), "MATRYX_CLI is not set to matryx-cli");
        QProcess plan;
        plan.start(cli, {QStringLiteral("plan"), qEnvironmentVariable("MATRYX_DEMO_MODEL"), QStringLiteral("--plan"), file,
                         QStringLiteral("--json")});
        QVERIFY(plan.waitForFinished(60000));
        QCOMPARE(plan.exitCode(), 0);
        const QJsonObject json = QJsonDocument::fromJson(plan.readAllStandardOutput()).object();
        QCOMPARE(qulonglong(json.value(QStringLiteral("file_bytes")).toDouble()), qulonglong(editor.resolved()->fileBytes));
        QCOMPARE(json.value(QStringLiteral("bits_per_weight")).toDouble(), editor.resolved()->bitsPerWeight());

        // Presets are edits too.
        editor.presetBox()->setCurrentIndex(editor.presetBox()->findText(QStringLiteral("Q8_0")));
        emit editor.presetBox()->activated(editor.presetBox()->currentIndex());
        QCOMPARE(editor.plan().preset, LlamaFileType::Q8_0);
        QCOMPARE(editor.plan().overrides.size(), size_t(12)); // kept
        editor.undoStack()->undo();
        QCOMPARE(editor.plan().preset, LlamaFileType::Q4_K_M);
        QCOMPARE(editor.presetBox()->currentText(), QStringLiteral("Q4_K_M"));
    }
};

QTEST_MAIN(PlanEditorTest)
#include "plan_editor_test.moc"
