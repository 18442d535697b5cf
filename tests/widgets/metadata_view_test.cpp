#include "metadata_table_model.h"
#include "metadata_view.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTableView>
#include <QTest>

using namespace matryx;

namespace {

std::shared_ptr<const Model> sampleModel() {
    auto model = std::make_shared<Model>();
    model->metadata.set("general.architecture", MetaValue::string("llama"));
    model->metadata.set("llama.block_count", MetaValue::u32(30));
    std::vector<std::string> tokens;
    for (int i = 0; i < 151936; ++i)
        tokens.push_back("t" + std::to_string(i));
    model->metadata.set("tokenizer.ggml.tokens", MetaValue::stringArray(std::move(tokens)));
    model->metadata.set("tokenizer.chat_template", MetaValue::string("{% for m in messages %}\n{{ m }}\n{% endfor %}"));
    model->metadata.set("general.languages", MetaValue::stringArray({"en"}));
    return model;
}

} // namespace

class MetadataViewTest : public QObject {
    Q_OBJECT
private slots:
    void passesModelTester() {
        MetadataTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setModel(sampleModel());
        QCOMPARE(model.rowCount(), 5);
        model.setModel(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void foldsLongValues() {
        MetadataTableModel model;
        model.setModel(sampleModel());
        QCOMPARE(model.index(1, MetadataTableModel::Type).data().toString(), QStringLiteral("UINT32"));
        QCOMPARE(model.index(1, MetadataTableModel::Value).data().toString(), QStringLiteral("30"));
        QCOMPARE(model.index(2, MetadataTableModel::Type).data().toString(), QStringLiteral("ARRAY[STRING]"));
        QCOMPARE(model.index(2, MetadataTableModel::Value).data().toString(),
                 QStringLiteral("[151 936 strings] \"t0\", \"t1\", \"t2\", \"t3\", \"t4\", \"t5\", …"));
        QCOMPARE(model.index(4, MetadataTableModel::Value).data().toString(), QStringLiteral("[1 string] \"en\""));
        // A multi-line string shows its first line; the whole text stays in ValueTextRole.
        QCOMPARE(model.index(3, MetadataTableModel::Value).data().toString(),
                 QStringLiteral("{% for m in messages %} …"));
        QCOMPARE(model.index(3, 0).data(MetadataTableModel::ValueTextRole).toString(),
                 QStringLiteral("{% for m in messages %}\n{{ m }}\n{% endfor %}"));

        const QString whole = model.index(2, 0).data(MetadataTableModel::ValueTextRole).toString();
        QVERIFY(whole.startsWith(QStringLiteral("[\"t0\", \"t1\", ")));
        QVERIFY(whole.endsWith(QStringLiteral("\"t151935\"]")));
        QCOMPARE(whole.count(QStringLiteral(", ")), 151935);
        const QString detail = model.index(2, 0).data(MetadataTableModel::DetailTextRole).toString();
        QVERIFY(detail.contains(QStringLiteral("\"t1999\"]")));
        QVERIFY(detail.endsWith(QStringLiteral("149 936 more items")));
    }

    void copiesSelectedRowsAndValues() {
        MetadataView view;
        view.resize(800, 500);
        view.show();
        view.setModel(sampleModel());
        // The first key starts selected and its value is in the detail box.
        QCOMPARE(view.detail()->toPlainText(), QStringLiteral("general.architecture = llama"));

        QTableView* table = view.table();
        auto* selection = table->selectionModel();
        selection->select(table->model()->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        selection->select(table->model()->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QApplication::clipboard()->clear();
        table->setFocus();
        QTest::keySequence(table, QKeySequence::Copy);
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("general.architecture\tSTRING\tllama\nllama.block_count\tUINT32\t30"));

        QVERIFY(view.selectKey(QStringLiteral("tokenizer.chat_template")));
        QCOMPARE(view.currentValueText(), QStringLiteral("{% for m in messages %}\n{{ m }}\n{% endfor %}"));
        QVERIFY(view.detail()->toPlainText().endsWith(QStringLiteral("{% endfor %}")));

        // The key filter hides other keys.
        view.filterEdit()->setText(QStringLiteral("tokenizer"));
        QCOMPARE(table->model()->rowCount(), 2);
        QVERIFY(!view.selectKey(QStringLiteral("general.architecture")));
    }
};

QTEST_MAIN(MetadataViewTest)
#include "metadata_view_test.moc"
