#include "model_tree_model.h"
#include "model_tree_proxy.h"
#include "natural_compare.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace matryx;

namespace {

// Tensors in an order that a plain string sort gets wrong: blk.10 before blk.2.
std::shared_ptr<const Model> sampleModel() {
    auto model = std::make_shared<Model>();
    model->tensors = {
        {"token_embd.weight", TensorType::Q8_0, {64, 100}, 0, 0, 6800},
        {"blk.10.attn_q.weight", TensorType::Q4_0, {64, 64}, 0, 6800, 2304},
        {"blk.10.ffn_up.weight", TensorType::Q4_0, {64, 128}, 0, 9104, 4608},
        {"blk.2.attn_q.weight", TensorType::Q4_0, {64, 64}, 0, 13712, 2304},
        {"blk.2.attn_norm.weight", TensorType::F32, {64}, 0, 16016, 256},
        {"blk.1.attn_q.weight", TensorType::Q8_0, {64, 64}, 0, 16272, 4352},
        {"rope_freqs.weight", TensorType::F32, {32}, 0, 20624, 128},
        {"output_norm.weight", TensorType::F32, {64}, 0, 20752, 256},
        {"output.weight", TensorType::Q6_K, {256, 100}, 0, 21008, 21000},
    };
    return model;
}

QStringList childNames(const QAbstractItemModel& model, const QModelIndex& parent, int column = 0) {
    QStringList names;
    for (int row = 0; row < model.rowCount(parent); ++row)
        names << model.index(row, column, parent).data().toString();
    return names;
}

} // namespace

class ModelTreeModelTest : public QObject {
    Q_OBJECT
private slots:
    void naturalCompareReadsNumbersByValue() {
        QVERIFY(naturalCompare(u"blk.2.attn_q", u"blk.10.attn_q") < 0);
        QVERIFY(naturalCompare(u"blk.10.attn_q", u"blk.2.attn_q") > 0);
        QVERIFY(naturalCompare(u"blk.9", u"blk.09") != 0);
        QVERIFY(naturalCompare(u"blk.99999999999999999999", u"blk.100000000000000000000") < 0);
        QVERIFY(naturalCompare(u"attn_k", u"attn_q") < 0);
        QVERIFY(naturalCompare(u"Layer", u"layer") != 0);
        QCOMPARE(naturalCompare(u"blk.3.ffn", u"blk.3.ffn"), 0);
        QVERIFY(naturalCompare(u"blk.3", u"blk.3.ffn") < 0);
    }

    void passesModelTesterOnModelAndProxy() {
        ModelTreeModel model;
        ModelTreeProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setModel(sampleModel());
        proxy.sort(ModelTreeModel::Name);
        QVERIFY(proxy.setNameFilter(QStringLiteral("attn"), false));
        QVERIFY(proxy.setNameFilter(QString(), false));
        model.setModel(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void groupsLayersAndSortsThemNaturally() {
        ModelTreeModel model;
        model.setModel(sampleModel());
        ModelTreeProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(ModelTreeModel::Name);
        QCOMPARE(childNames(proxy, {}), (QStringList{QStringLiteral("Embeddings"), QStringLiteral("Layer 1"),
                                                     QStringLiteral("Layer 2"), QStringLiteral("Layer 10"),
                                                     QStringLiteral("Other"), QStringLiteral("Output")}));
        QCOMPARE(childNames(proxy, proxy.index(2, 0)),
                 (QStringList{QStringLiteral("blk.2.attn_norm.weight"), QStringLiteral("blk.2.attn_q.weight")}));
        QCOMPARE(childNames(proxy, proxy.index(5, 0)),
                 (QStringList{QStringLiteral("output.weight"), QStringLiteral("output_norm.weight")}));

        // Sorting by size compares numbers, not their text ("6.8 kB" and "128 B").
        proxy.sort(ModelTreeModel::Bytes);
        QCOMPARE(childNames(proxy, {}), (QStringList{QStringLiteral("Other"), QStringLiteral("Layer 2"),
                                                     QStringLiteral("Layer 1"), QStringLiteral("Embeddings"),
                                                     QStringLiteral("Layer 10"), QStringLiteral("Output")}));
    }

    void groupRowsSumTheirTensors() {
        ModelTreeModel model;
        model.setModel(sampleModel());
        // File order without a proxy: Embeddings, Layer 10, Layer 2, Layer 1, Other, Output.
        const QModelIndex layer10 = model.index(1, ModelTreeModel::Name);
        QCOMPARE(layer10.data().toString(), QStringLiteral("Layer 10"));
        QCOMPARE(model.rowCount(layer10), 2);
        QCOMPARE(model.index(1, ModelTreeModel::Bytes).data(ModelTreeModel::SortRole).toULongLong(), 6912ull);
        QCOMPARE(model.index(1, ModelTreeModel::Type).data().toString(), QStringLiteral("Q4_0"));
        QCOMPARE(model.index(1, ModelTreeModel::Shape).data().toString(), QStringLiteral("2 tensors"));
        // 6912 of 42008 bytes.
        QCOMPARE(model.index(1, ModelTreeModel::Share).data().toString(), QStringLiteral("16.45%"));
        const QModelIndex ffn = model.index(1, ModelTreeModel::Shape, layer10);
        QCOMPARE(ffn.data().toString(), QStringLiteral("64 × 128"));
        QCOMPARE(ffn.data(ModelTreeModel::TensorNameRole).toString(), QStringLiteral("blk.10.ffn_up.weight"));
        QCOMPARE(model.index(2, 0).data(ModelTreeModel::TensorNameRole).toString(), QString());

        const QModelIndex found = model.indexOfTensor(QStringLiteral("blk.1.attn_q.weight"));
        QVERIFY(found.isValid());
        QCOMPARE(found.parent().data().toString(), QStringLiteral("Layer 1"));
        QVERIFY(!model.indexOfTensor(QStringLiteral("blk.1.attn")).isValid());
    }

    void filtersBySubstringOrRegex() {
        ModelTreeModel model;
        model.setModel(sampleModel());
        ModelTreeProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(ModelTreeModel::Name);

        QVERIFY(proxy.setNameFilter(QStringLiteral("ATTN_Q"), false));
        QCOMPARE(childNames(proxy, {}), (QStringList{QStringLiteral("Layer 1"), QStringLiteral("Layer 2"),
                                                     QStringLiteral("Layer 10")}));
        // A substring is literal: the dot matches a dot only.
        QVERIFY(proxy.setNameFilter(QStringLiteral("blk.1."), false));
        QCOMPARE(childNames(proxy, {}), QStringList{QStringLiteral("Layer 1")});

        QVERIFY(proxy.setNameFilter(QStringLiteral("^blk\\.(1|10)\\..*(ffn|attn_q)"), true));
        QCOMPARE(childNames(proxy, {}), (QStringList{QStringLiteral("Layer 1"), QStringLiteral("Layer 10")}));
        QCOMPARE(proxy.rowCount(proxy.index(1, 0)), 2);

        // A group's own name does not match; only tensor names do.
        QVERIFY(proxy.setNameFilter(QStringLiteral("Layer"), false));
        QCOMPARE(proxy.rowCount(), 0);

        QVERIFY(!proxy.setNameFilter(QStringLiteral("blk.(1"), true));
        QVERIFY(!proxy.filterError().isEmpty());
        QCOMPARE(proxy.rowCount(), 0); // the previous filter stays
        QVERIFY(proxy.setNameFilter(QString(), true));
        QCOMPARE(proxy.rowCount(), 6);
    }
};

QTEST_MAIN(ModelTreeModelTest)
#include "model_tree_model_test.moc"
