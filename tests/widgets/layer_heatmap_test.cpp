// The layer heatmap on statistics made here: the grid (layers by kinds in block order, blank
// cells), the measures, the largest cell, and clicking a cell.

#include "layer_heatmap.h"

#include <QSignalSpy>
#include <QTest>
#include <qcustomplot.h>

#include <cmath>

using namespace matryx;

namespace {

TensorStatsEntry entry(const char* name, std::vector<int64_t> shape, double kurtosis, double absMax,
                       double outliers) {
    TensorStatsEntry e;
    e.name = name;
    e.shape = std::move(shape);
    e.stats.excessKurtosis = kurtosis;
    e.stats.absMax = absMax;
    e.stats.outlierFraction = outliers;
    return e;
}

// Three layers; layer 1 has no attn_k; a norm, the embeddings and an unusual kind.
std::shared_ptr<const ModelStats> sampleStats() {
    auto stats = std::make_shared<ModelStats>();
    stats->tensors = {
        entry("token_embd.weight", {64, 100}, 50, 9, 0.5),
        entry("blk.0.ffn_down.weight", {128, 64}, 3, 2.0, 0.01),
        entry("blk.0.attn_q.weight", {64, 64}, 1, 0.5, 0.001),
        entry("blk.0.attn_k.weight", {64, 16}, 2, 0.7, 0.002),
        entry("blk.0.attn_norm.weight", {64}, 99, 99, 0.9),
        entry("blk.1.attn_q.weight", {64, 64}, 12, 1.5, 0.004),
        entry("blk.1.ffn_down.weight", {128, 64}, 4, 7.5, 0.003),
        entry("blk.2.attn_q.weight", {64, 64}, 0.5, 0.4, 0.0),
        entry("blk.2.attn_k.weight", {64, 16}, 0.25, 0.3, 0.02),
        entry("blk.2.ffn_down.weight", {128, 64}, 5, 1.0, 0.001),
        entry("blk.2.altup_proj.weight", {64, 64}, 1, 1, 0),
    };
    return stats;
}

} // namespace

class LayerHeatmapTest : public QObject {
    Q_OBJECT
private slots:
    void layersByKindsInBlockOrder() {
        LayerHeatmap map;
        map.setStats(sampleStats());
        QCOMPARE(map.layerCount(), 3);
        QCOMPARE(map.kinds(), (QStringList{QStringLiteral("attn_q"), QStringLiteral("attn_k"),
                                           QStringLiteral("ffn_down"), QStringLiteral("altup_proj")}));
        QCOMPARE(map.tensorAt(1, 0), QStringLiteral("blk.1.attn_q.weight"));
        QCOMPARE(map.tensorAt(2, 2), QStringLiteral("blk.2.ffn_down.weight"));
        QVERIFY(map.tensorAt(1, 1).isEmpty()); // layer 1 has no attn_k
        QVERIFY(std::isnan(map.valueAt(1, 1)));
        QVERIFY(map.tensorAt(0, 3).isEmpty());
        QVERIFY(map.tensorAt(3, 0).isEmpty()); // out of range
        QCOMPARE(map.valueAt(1, 0), 12.0);     // kurtosis by default
    }

    void measuresChangeTheValuesAndTheLargestCell() {
        LayerHeatmap map;
        map.setStats(sampleStats());
        QCOMPARE(map.largestCell(), QPoint(1, 0)); // kurtosis 12
        map.setMeasure(LayerHeatmap::Measure::AbsMax);
        QCOMPARE(map.valueAt(1, 2), 7.5);
        QCOMPARE(map.largestCell(), QPoint(1, 2));
        map.setMeasure(LayerHeatmap::Measure::OutlierFraction);
        QCOMPARE(map.largestCell(), QPoint(2, 1)); // 0.02
        map.setStats(nullptr);
        QCOMPARE(map.layerCount(), 0);
        QCOMPARE(map.largestCell(), QPoint(-1, -1));
    }

    void clickingACellActivatesItsTensor() {
        LayerHeatmap map;
        map.resize(600, 400);
        map.show();
        QVERIFY(QTest::qWaitForWindowExposed(&map));
        map.setStats(sampleStats());
        map.plot()->replot();
        QSignalSpy activated(&map, &LayerHeatmap::tensorActivated);
        QTest::mouseClick(map.plot(), Qt::LeftButton, Qt::NoModifier, map.cellCentre(2, 2));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.first().first().toString(), QStringLiteral("blk.2.ffn_down.weight"));
        QTest::mouseClick(map.plot(), Qt::LeftButton, Qt::NoModifier, map.cellCentre(1, 1)); // blank
        QCOMPARE(activated.count(), 1);
    }
};

QTEST_MAIN(LayerHeatmapTest)
#include "layer_heatmap_test.moc"
