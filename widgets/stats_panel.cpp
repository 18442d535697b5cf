#include "stats_panel.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>

#include <cmath>

namespace matryx {

namespace {

QString number(double v) {
    if (std::isnan(v)) return QStringLiteral("–");
    return QLocale().toString(v, 'g', 5);
}

} // namespace

StatsPanel::StatsPanel(QWidget* parent) : QWidget(parent), form_(new QFormLayout(this)) {
    form_->setContentsMargins(4, 0, 4, 0);
    form_->setLabelAlignment(Qt::AlignRight);
    addRow(QStringLiteral("elements"), tr("Elements"));
    addRow(QStringLiteral("min"), tr("Min"));
    addRow(QStringLiteral("max"), tr("Max"));
    addRow(QStringLiteral("absmax"), tr("Abs max"));
    addRow(QStringLiteral("mean"), tr("Mean"));
    addRow(QStringLiteral("std"), tr("Std"), tr("Population standard deviation"));
    addRow(QStringLiteral("kurtosis"), tr("Kurtosis"), tr("Excess kurtosis: 0 for a normal distribution"));
    outlierName_ = addRow(QStringLiteral("outliers"), tr("Outliers"));
    addRow(QStringLiteral("nonfinite"), tr("NaN / ±inf"));
    setStats(nullptr);
}

QLabel* StatsPanel::addRow(const QString& key, const QString& label, const QString& toolTip) {
    auto* value = new QLabel;
    value->setObjectName(key);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* name = new QLabel(label);
    name->setToolTip(toolTip);
    value->setToolTip(toolTip);
    form_->addRow(name, value);
    return name;
}

QString StatsPanel::valueText(const QString& key) const {
    const auto* label = findChild<QLabel*>(key);
    return label ? label->text() : QString();
}

void StatsPanel::setStats(const TensorStats* s) {
    const auto set = [this](const char* key, const QString& text) {
        if (auto* label = findChild<QLabel*>(QLatin1String(key))) label->setText(text);
    };
    if (!s) {
        for (const char* key :
             {"elements", "min", "max", "absmax", "mean", "std", "kurtosis", "outliers", "nonfinite"})
            set(key, QStringLiteral("–"));
        outlierName_->setText(tr("Outliers"));
        return;
    }
    const QLocale locale;
    set("elements", locale.toString(static_cast<qulonglong>(s->elements)));
    set("min", number(s->min));
    set("max", number(s->max));
    set("absmax", number(s->absMax));
    set("mean", number(s->mean));
    set("std", number(s->std));
    set("kurtosis", number(s->excessKurtosis));
    if (s->outlierK > 0) {
        set("outliers", tr("%1 (%2%)")
                            .arg(locale.toString(static_cast<qulonglong>(s->outliers)))
                            .arg(locale.toString(s->outlierFraction * 100, 'g', 3)));
        outlierName_->setText(tr("Outliers > %1σ").arg(s->outlierK, 0, 'g', 3));
    } else {
        set("outliers", QStringLiteral("–"));
    }
    set("nonfinite", tr("%1 / %2")
                         .arg(locale.toString(static_cast<qulonglong>(s->nan)))
                         .arg(locale.toString(static_cast<qulonglong>(s->infinite))));
}

} // namespace matryx
