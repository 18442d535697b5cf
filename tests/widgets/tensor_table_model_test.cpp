#include "tensor_table_model.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace matryx;

namespace {

std::shared_ptr<const Model> sampleModel() {
    auto model = std::make_shared<Model>();
    model->tensors = {
        {"token_embd.weight", TensorType::Q4_K, {576, 49152}, 0, 0, 15925248},
        {"blk.0.attn_norm.weight", TensorType::F32, {576}, 0, 15925248, 2304},
        {"blk.0.attn_q.weight", TensorType::Q8_0, {576, 576}, 0, 15927552, 352512},
    };
    return model;
}

} // namespace

class TensorTableModelTest : public QObject {
    Q_OBJECT
private slots:
    void passesModelTester() {
        TensorTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setModel(sampleModel());
        QCOMPARE(model.rowCount(), 3);
        model.setModel(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void showsTypeShapeAndShare() {
        TensorTableModel model;
        model.setModel(sampleModel());
        QCOMPARE(model.index(0, TensorTableModel::Type).data().toString(), QStringLiteral("Q4_K"));
        QCOMPARE(model.index(2, TensorTableModel::Shape).data().toString(), QStringLiteral("576 × 576"));
        QCOMPARE(model.index(1, TensorTableModel::Bytes).data(TensorTableModel::SortRole).toULongLong(), 2304ull);
        const double total = 15925248.0 + 2304.0 + 352512.0;
        QCOMPARE(model.index(1, TensorTableModel::Share).data(TensorTableModel::SortRole).toDouble(),
                 100.0 * 2304.0 / total);
    }

    void sortsNumbersAsNumbers() {
        TensorTableModel model;
        model.setModel(sampleModel());
        QSortFilterProxyModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setSortRole(TensorTableModel::SortRole);
        proxy.sort(TensorTableModel::Bytes, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, TensorTableModel::Name).data().toString(), QStringLiteral("blk.0.attn_norm.weight"));
        QCOMPARE(proxy.index(2, TensorTableModel::Name).data().toString(), QStringLiteral("token_embd.weight"));
    }
};

QTEST_MAIN(TensorTableModelTest)
#include "tensor_table_model_test.moc"
