#include "plan_editor.h"

#include "change_plan_command.h"
#include "plan_grid_model.h"
#include "plan_size_error_chart.h"
#include "quant/bit_width.h"
#include "quant/llama_file_type.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace matryx {

namespace {

QString typeText(TensorType type) {
    const std::string_view name = typeName(type);
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

// The exact types offered next to the bit widths, for formats that need them.
constexpr TensorType kExactTypes[] = {TensorType::Q4_0,  TensorType::Q4_1,   TensorType::Q5_0, TensorType::Q5_1,
                                      TensorType::IQ4_NL, TensorType::IQ4_XS, TensorType::BF16, TensorType::F32};

// Starting points besides llama.cpp's presets (negative ids in the preset box).
constexpr int kNoPreset = -1, kEdgesHigh = -2, kMatryoshka8 = -3, kMatryoshka4 = -4, kMatryoshka2 = -5;

// The plan a preset box entry starts from. llama.cpp's presets and "no preset" keep the current
// rules and overrides; Matryx's starting points replace the plan.
Plan startingPlan(int value, const Plan& current) {
    Plan plan;
    switch (value) {
    case kNoPreset:
        plan = current;
        plan.preset.reset();
        return plan;
    case kEdgesHigh:
        // The first and last layers matter most (llama.cpp's mixtures keep them wider too).
        plan.base = TensorType::Q3_K;
        plan.rules.push_back({"", LayerRange::firstN(3), {}, TensorType::Q6_K, "first three layers"});
        plan.rules.push_back({"", LayerRange::lastN(3), {}, TensorType::Q6_K, "last three layers"});
        plan.description = "edges high, middle low";
        return plan;
    case kMatryoshka8:
    case kMatryoshka4:
    case kMatryoshka2:
        // The types matryx-cli slice writes at these widths (quant/matryoshka_export.h).
        plan.base = value == kMatryoshka8 ? TensorType::Q8_0 : value == kMatryoshka4 ? TensorType::Q4_1 : TensorType::Q2_K;
        plan.description = "as a Matryoshka slice";
        return plan;
    default:
        plan = current;
        plan.preset = LlamaFileType(value);
        plan.base = llamaFileTypeInfo(*plan.preset).defaultType;
        return plan;
    }
}

} // namespace

PlanEditor::PlanEditor(QWidget* parent)
    : QWidget(parent), undo_(new QUndoStack(this)), gridModel_(new PlanGridModel(this)), grid_(new QTableView),
      presetBox_(new QComboBox), typeBox_(new QComboBox), ruleEdit_(new QLineEdit), summary_(new QLabel),
      predict_(new QPushButton(tr("Predict error"))), chart_(new PlanSizeErrorChart) {
    presetBox_->addItem(tr("No preset"), kNoPreset);
    for (const LlamaFileTypeInfo& info : llamaFileTypes())
        if (info.preset)
            presetBox_->addItem(QString::fromLatin1(info.name.data(), qsizetype(info.name.size())), int(info.fileType));
    presetBox_->insertSeparator(presetBox_->count());
    presetBox_->addItem(tr("Edges high, middle low"), kEdgesHigh);
    presetBox_->addItem(tr("Matryoshka int8 slice"), kMatryoshka8);
    presetBox_->addItem(tr("Matryoshka int4 slice"), kMatryoshka4);
    presetBox_->addItem(tr("Matryoshka int2 slice"), kMatryoshka2);
    presetBox_->setToolTip(tr("llama.cpp's choice of type for every tensor, as llama-quantize makes it, or a "
                              "starting point of Matryx's"));
    connect(presetBox_, &QComboBox::activated, this, [this](int index) {
        const int value = presetBox_->itemData(index).toInt();
        edit(startingPlan(value, plan_), tr("Start from %1").arg(presetBox_->itemText(index)));
    });

    for (int bits : {2, 3, 4, 5, 6, 8, 16})
        typeBox_->addItem(tr("%1 bits (%2)").arg(bits).arg(typeText(*typeForBits(bits))), int(*typeForBits(bits)));
    typeBox_->insertSeparator(typeBox_->count());
    for (TensorType type : kExactTypes)
        typeBox_->addItem(typeText(type), int(type));
    typeBox_->setCurrentIndex(5); // 8 bits
    auto* assign = new QPushButton(tr("Assign to selection"));
    connect(assign, &QPushButton::clicked, this, [this] {
        if (const auto type = chosenType()) assignToSelection(*type);
    });
    auto* clear = new QPushButton(tr("Clear selection"));
    clear->setToolTip(tr("Remove the selected cells' own types; the preset and rules decide again"));
    connect(clear, &QPushButton::clicked, this, &PlanEditor::clearSelection);

    ruleEdit_->setPlaceholderText(tr("Rule: regular expression, e.g. blk\\.(0|1|2)\\.|ffn_down"));
    auto* addRuleButton = new QPushButton(tr("Add rule"));
    connect(addRuleButton, &QPushButton::clicked, this, [this] {
        if (const auto type = chosenType(); type && !ruleEdit_->text().isEmpty()) addRule(ruleEdit_->text(), *type);
    });

    auto* undoButton = new QToolButton;
    undoButton->setDefaultAction(undo_->createUndoAction(this, tr("Undo")));
    undoButton->defaultAction()->setShortcut(QKeySequence::Undo);
    auto* redoButton = new QToolButton;
    redoButton->setDefaultAction(undo_->createRedoAction(this, tr("Redo")));
    redoButton->defaultAction()->setShortcut(QKeySequence::Redo);

    grid_->setModel(gridModel_);
    grid_->setSelectionMode(QAbstractItemView::ExtendedSelection); // drag or shift-click a range
    grid_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    grid_->verticalHeader()->setDefaultSectionSize(grid_->fontMetrics().height() + 4);
    grid_->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Start from:")));
    top->addWidget(presetBox_);
    top->addSpacing(12);
    top->addWidget(new QLabel(tr("Type:")));
    top->addWidget(typeBox_);
    top->addWidget(assign);
    top->addWidget(clear);
    top->addStretch();
    top->addWidget(undoButton);
    top->addWidget(redoButton);
    auto* rules = new QHBoxLayout;
    rules->addWidget(ruleEdit_, 1);
    rules->addWidget(addRuleButton);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    predict_->setToolTip(tr("Measure what quantizing each tensor to its type costs, and keep the plan's "
                            "predicted error up to date"));
    connect(predict_, &QPushButton::clicked, this, &PlanEditor::predictError);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(summary_, 1);
    bottom->addWidget(predict_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addLayout(rules);
    layout->addWidget(grid_, 1);
    layout->addLayout(bottom);
    layout->addWidget(chart_);
    chart_->hide();
    setEnabled(false);
}

PlanEditor::~PlanEditor() = default;

void PlanEditor::setModel(std::shared_ptr<const Model> model) {
    model_ = std::move(model);
    undo_->clear();
    predicting_ = false;
    typeErrors_.clear();
    requested_.clear();
    comparison_.clear();
    if (model_)
        for (LlamaFileType preset : {LlamaFileType::Q8_0, LlamaFileType::Q6_K, LlamaFileType::Q5_K_M,
                                     LlamaFileType::Q4_K_M, LlamaFileType::Q3_K_M, LlamaFileType::Q2_K})
            if (auto resolved = Plan::fromPreset(preset).resolve(*model_)) {
                const std::string_view name = llamaFileTypeInfo(preset).name;
                comparison_.emplace_back(QString::fromLatin1(name.data(), qsizetype(name.size())), std::move(*resolved));
            }
    setEnabled(bool(model_));
    show(Plan::fromPreset(LlamaFileType::Q4_K_M));
}

void PlanEditor::setPlan(const Plan& plan, const QString& what) { edit(plan, what); }

void PlanEditor::edit(Plan after, const QString& what) {
    if (after == plan_) return;
    if (Status valid = after.validate(); !valid) {
        summary_->setText(tr("Not applied: %1").arg(QString::fromStdString(valid.error().toString())));
        return;
    }
    undo_->push(new ChangePlanCommand([this](const Plan& p) { show(p); }, plan_, std::move(after), what));
}

void PlanEditor::show(const Plan& plan) {
    plan_ = plan;
    resolved_.reset();
    QString text;
    if (model_) {
        auto resolved = plan_.resolve(*model_);
        if (resolved) {
            resolved_ = std::make_shared<const ResolvedPlan>(std::move(resolved).value());
            const QLocale locale;
            text = tr("Predicted file: %1 (%2 bytes) · %3 bits/weight · %4 tensors, %5 with their own type, %6 rules")
                       .arg(locale.formattedDataSize(qint64(resolved_->fileBytes), 1, QLocale::DataSizeSIFormat))
                       .arg(locale.toString(qulonglong(resolved_->fileBytes)))
                       .arg(resolved_->bitsPerWeight(), 0, 'f', 3)
                       .arg(resolved_->tensors.size())
                       .arg(plan_.overrides.size())
                       .arg(plan_.rules.size());
        } else {
            text = tr("This plan cannot be used: %1").arg(QString::fromStdString(resolved.error().toString()));
        }
    }
    gridModel_->setPlan(resolved_);
    sizeText_ = text;
    updateSummary();
    // The box names the preset; Matryx's starting points are only shown while nothing changed them.
    const int preset = plan_.preset ? presetBox_->findData(int(*plan_.preset)) : -1;
    if (preset >= 0 || presetBox_->currentData().toInt() >= 0) presetBox_->setCurrentIndex(std::max(preset, 0));
    emit planChanged();
}

void PlanEditor::predictError() {
    predicting_ = true;
    updateSummary();
}

void PlanEditor::setTypeErrors(const std::vector<TensorType>& types,
                               const std::vector<std::vector<TensorQuantizationError>>& errors) {
    for (size_t k = 0; k < types.size() && k < errors.size(); ++k) {
        auto& byTensor = typeErrors_[types[k]];
        for (const auto& e : errors[k])
            byTensor[e.index] = e.relativeRmse;
    }
    requested_.clear();
    updateSummary();
}

std::optional<double> PlanEditor::predictedError() const {
    return resolved_ ? errorOf(*resolved_) : std::nullopt;
}

std::optional<double> PlanEditor::errorOf(const ResolvedPlan& plan) const {
    double weighted = 0, values = 0;
    for (size_t i = 0; i < plan.tensors.size(); ++i) {
        const ResolvedTensor& t = plan.tensors[i];
        if (t.step == PlanStep::Kept) continue;
        values += double(t.elements);
        if (t.target == t.source) continue; // copied as it is
        const auto type = typeErrors_.find(t.target);
        if (type == typeErrors_.end()) return std::nullopt;
        const auto error = type->second.find(i);
        if (error != type->second.end()) weighted += error->second * double(t.elements);
    }
    return values > 0 ? weighted / values : 0.0;
}

void PlanEditor::updateSummary() {
    QString text = sizeText_;
    predict_->setVisible(!predicting_ && resolved_);
    chart_->setVisible(predicting_ && resolved_);
    if (predicting_ && resolved_) {
        // Every type still unmeasured, asked for again when the set changes: a newer request
        // replaces an older one that was still running.
        std::set<TensorType> missing;
        const auto need = [&](const ResolvedPlan& plan) {
            for (const ResolvedTensor& t : plan.tensors)
                if (t.step != PlanStep::Kept && t.target != t.source && !typeErrors_.count(t.target))
                    missing.insert(t.target);
        };
        need(*resolved_);
        for (const auto& [name, plan] : comparison_)
            need(plan);
        if (!missing.empty() && missing != requested_) {
            requested_ = missing;
            emit typeErrorsRequested(std::vector<TensorType>(missing.begin(), missing.end()));
        }
        if (const auto error = predictedError())
            text += tr(" · predicted error %1% (relative RMSE, weighted by values)").arg(100.0 * *error, 0, 'f', 2);
        else
            text += tr(" · measuring the error…");
        std::vector<PlanSizeErrorChart::Point> presets;
        for (const auto& [name, plan] : comparison_)
            if (const auto error = errorOf(plan)) presets.push_back({name, plan.bitsPerWeight(), *error});
        std::optional<PlanSizeErrorChart::Point> current;
        if (const auto error = predictedError()) current = PlanSizeErrorChart::Point{tr("this plan"), resolved_->bitsPerWeight(), *error};
        chart_->setPoints(presets, current);
    }
    summary_->setText(text);
}

std::optional<TensorType> PlanEditor::chosenType() const {
    const QVariant value = typeBox_->currentData();
    if (!value.isValid()) return std::nullopt;
    return TensorType(value.toInt());
}

QStringList PlanEditor::selectedTensors() const {
    QStringList names;
    for (const QModelIndex& index : grid_->selectionModel()->selectedIndexes())
        if (const QString name = gridModel_->tensorAt(index); !name.isEmpty()) names << name;
    names.sort();
    return names;
}

int PlanEditor::assignToSelection(TensorType type) {
    const QStringList names = selectedTensors();
    if (names.isEmpty()) return 0;
    Plan after = plan_;
    for (const QString& name : names)
        after.overrides[name.toStdString()] = type;
    edit(after, tr("%1 tensors to %2").arg(names.size()).arg(typeText(type)));
    return int(names.size());
}

int PlanEditor::clearSelection() {
    Plan after = plan_;
    int removed = 0;
    for (const QString& name : selectedTensors())
        removed += int(after.overrides.erase(name.toStdString()));
    if (removed > 0) edit(after, tr("Clear %1 tensors").arg(removed));
    return removed;
}

void PlanEditor::addRule(const QString& pattern, TensorType type) {
    Plan after = plan_;
    PlanRule rule;
    rule.pattern = pattern.toStdString();
    rule.type = type;
    after.rules.push_back(rule);
    edit(after, tr("Rule %1 = %2").arg(pattern, typeText(type)));
}

} // namespace matryx
