#include "tokenizer_view.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QStringDecoder>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <optional>
#include <utility>

namespace matryx {

namespace {

// Chips past this many are summarised: a page of text is enough to see how a tokenizer splits.
constexpr size_t MaxChips = 3000;
// Control and user-defined tokens listed beyond the named ones (Gemma has thousands of unused ones).
constexpr int MaxOtherSpecials = 300;

QString fromView(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// A token's bytes as text, or nullopt when they are not whole UTF-8 (a piece of a character).
std::optional<QString> utf8Text(std::string_view bytes) {
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(QByteArrayView(bytes.data(), static_cast<qsizetype>(bytes.size())));
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

// Makes white space visible inside a chip.
QString visible(QString text) {
    text.replace(QLatin1Char(' '), QChar(0x00B7));
    text.replace(QLatin1Char('\n'), QChar(0x21B5));
    text.replace(QLatin1Char('\t'), QChar(0x2192));
    return text;
}

QString chipText(const Tokenizer& tokenizer, TokenId id) {
    const std::string_view piece = tokenizer.tokenPiece(id, true);
    if (const auto text = utf8Text(piece))
        return visible(*text);
    // Part of a character: ASCII as it is, other bytes as llama.cpp's <0xNN> byte tokens spell them.
    QString text;
    for (const char c : piece) {
        const auto byte = static_cast<unsigned char>(c);
        text += byte < 0x80 ? visible(QString(QLatin1Char(c)))
                            : QStringLiteral("<0x%1>").arg(QString::number(byte, 16).toUpper());
    }
    return text;
}

} // namespace

TokenizerView::TokenizerView(QWidget* parent)
    : QWidget(parent), unavailable_(new QLabel), facts_(new QWidget), size_(new QLabel), kind_(new QLabel),
      pre_(new QLabel), adds_(new QLabel), specials_(new QTableWidget(0, 3)), input_(new QPlainTextEdit),
      addSpecial_(new QCheckBox(tr("Add BOS/EOS"))), parseSpecial_(new QCheckBox(tr("Parse special tokens"))),
      count_(new QLabel), chips_(new QTextBrowser) {
    unavailable_->setWordWrap(true);
    unavailable_->hide();

    auto* vocabularyBox = new QGroupBox(tr("Vocabulary"));
    auto* form = new QFormLayout(vocabularyBox);
    form->addRow(tr("Size:"), size_);
    form->addRow(tr("Model:"), kind_);
    form->addRow(tr("Pre-tokenizer:"), pre_);
    form->addRow(tr("Adds:"), adds_);
    for (QLabel* label : {size_, kind_, pre_, adds_})
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);

    specials_->setHorizontalHeaderLabels({tr("Special token"), tr("Id"), tr("Text")});
    specials_->verticalHeader()->hide();
    specials_->verticalHeader()->setDefaultSectionSize(specials_->fontMetrics().height() + 6);
    specials_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    specials_->setSelectionBehavior(QAbstractItemView::SelectRows);
    specials_->setAlternatingRowColors(true);
    specials_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    specials_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    specials_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);

    auto* top = new QHBoxLayout(facts_);
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(vocabularyBox, 2);
    top->addWidget(specials_, 3);

    input_->setPlaceholderText(tr("Type text to see its tokens"));
    input_->setMaximumHeight(input_->fontMetrics().height() * 5);
    addSpecial_->setChecked(true);
    addSpecial_->setToolTip(tr("Add BOS and EOS where the vocabulary asks for them, as the model sees a prompt"));
    parseSpecial_->setChecked(true);
    parseSpecial_->setToolTip(tr("Read special tokens written in the text, such as <|im_start|>, as their ids"));
    connect(input_, &QPlainTextEdit::textChanged, this, &TokenizerView::tokenize);
    connect(addSpecial_, &QCheckBox::toggled, this, &TokenizerView::tokenize);
    connect(parseSpecial_, &QCheckBox::toggled, this, &TokenizerView::tokenize);

    auto* options = new QHBoxLayout;
    options->addWidget(addSpecial_);
    options->addWidget(parseSpecial_);
    options->addStretch(1);
    options->addWidget(count_);

    chips_->setOpenLinks(false);
    chips_->setPlaceholderText(tr("The tokens appear here, each with its id."));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(unavailable_);
    layout->addWidget(facts_, 2);
    layout->addWidget(input_);
    layout->addLayout(options);
    layout->addWidget(chips_, 3);

    setTokenizer(nullptr);
}

QString TokenizerView::kindText(const Vocabulary& vocabulary) {
    const QString name = QString::fromStdString(vocabulary.modelName);
    switch (vocabulary.kind) {
    case TokenizerKind::BytePairBpe: return tr("BPE, byte-level (%1)").arg(name);
    case TokenizerKind::SentencePiece: return tr("SentencePiece BPE (%1)").arg(name);
    case TokenizerKind::WordPiece: return tr("WordPiece (%1)").arg(name);
    case TokenizerKind::Unigram: return tr("Unigram (%1)").arg(name);
    case TokenizerKind::None: return tr("none");
    case TokenizerKind::Other: break;
    }
    return name;
}

void TokenizerView::setTokenizer(std::shared_ptr<const Tokenizer> tokenizer, const QString& unavailable) {
    tokenizer_ = std::move(tokenizer);
    unavailable_->setText(tr("No tokenizer: %1").arg(unavailable));
    unavailable_->setVisible(!tokenizer_ && !unavailable.isEmpty());
    facts_->setEnabled(tokenizer_ != nullptr);
    input_->setEnabled(tokenizer_ != nullptr);
    showVocabulary();
    tokenize();
}

void TokenizerView::setText(const QString& text) { input_->setPlainText(text); }

void TokenizerView::showVocabulary() {
    specials_->setRowCount(0);
    if (!tokenizer_) {
        for (QLabel* label : {size_, kind_, pre_, adds_})
            label->setText(QStringLiteral("–"));
        return;
    }
    const Vocabulary& vocab = tokenizer_->vocabulary();
    size_->setText(tr("%1 tokens").arg(QLocale().toString(static_cast<qulonglong>(vocab.size()))));
    kind_->setText(kindText(vocab));
    pre_->setText(vocab.pre.empty() ? tr("default") : QString::fromStdString(vocab.pre));
    const Tokenizer::Settings& settings = tokenizer_->settings();
    QStringList adds;
    if (settings.addBos)
        adds << tr("BOS at the start");
    if (settings.addEos)
        adds << tr("EOS at the end");
    if (settings.addSpacePrefix)
        adds << tr("a space before the text");
    adds_->setText(adds.isEmpty() ? tr("nothing") : adds.join(QStringLiteral(", ")));

    const auto addRow = [this, &vocab](const QString& role, TokenId id) {
        const int row = specials_->rowCount();
        specials_->insertRow(row);
        specials_->setItem(row, 0, new QTableWidgetItem(role));
        auto* idItem = new QTableWidgetItem(id >= 0 ? QString::number(id) : QString());
        idItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        specials_->setItem(row, 1, idItem);
        specials_->setItem(row, 2, new QTableWidgetItem(fromView(vocab.text(id))));
    };
    const std::pair<const char*, const std::optional<TokenId>*> named[] = {
        {QT_TR_NOOP("BOS"), &vocab.bos},         {QT_TR_NOOP("EOS"), &vocab.eos},
        {QT_TR_NOOP("EOT"), &vocab.eot},         {QT_TR_NOOP("EOM"), &vocab.eom},
        {QT_TR_NOOP("Unknown"), &vocab.unk},     {QT_TR_NOOP("Padding"), &vocab.pad},
        {QT_TR_NOOP("Separator"), &vocab.sep},   {QT_TR_NOOP("Class"), &vocab.cls},
        {QT_TR_NOOP("Mask"), &vocab.mask},       {QT_TR_NOOP("FIM prefix"), &vocab.fimPre},
        {QT_TR_NOOP("FIM suffix"), &vocab.fimSuf}, {QT_TR_NOOP("FIM middle"), &vocab.fimMid},
    };
    for (const auto& [role, id] : named)
        if (*id)
            addRow(tr(role), **id);
    int others = 0, hidden = 0;
    for (size_t i = 0; i < vocab.size(); ++i) {
        const TokenType type = vocab.types[i];
        if (type != TokenType::Control && type != TokenType::UserDefined)
            continue;
        if (others++ < MaxOtherSpecials)
            addRow(type == TokenType::Control ? tr("control") : tr("user-defined"), static_cast<TokenId>(i));
        else
            ++hidden;
    }
    if (hidden)
        addRow(tr("… and %1 more").arg(hidden), -1);
}

void TokenizerView::tokenize() {
    ids_.clear();
    if (!tokenizer_) {
        chips_->clear();
        count_->clear();
        return;
    }
    const QByteArray text = input_->toPlainText().toUtf8();
    ids_ = tokenizer_->encode(std::string_view(text.constData(), static_cast<size_t>(text.size())),
                              addSpecial_->isChecked(), parseSpecial_->isChecked());
    count_->setText((ids_.size() == 1 ? tr("1 token") : tr("%1 tokens").arg(ids_.size())) +
                    (text.isEmpty() ? QString() : tr(" · %1 bytes per token").arg(
                                                      static_cast<double>(text.size()) / qMax<size_t>(ids_.size(), 1),
                                                      0, 'f', 2)));

    // Neighbouring chips alternate colours so that boundaries show; special tokens stand out.
    static const char* const palette[] = {"#cfe8ff", "#ffe3c2", "#d6f5d6", "#f3d6f5", "#fff5b8", "#d9dcff"};
    QString html = QStringLiteral("<div style=\"line-height: 160%;\">");
    const size_t shown = qMin(ids_.size(), MaxChips);
    for (size_t i = 0; i < shown; ++i) {
        const TokenId id = ids_[i];
        const TokenType type = tokenizer_->vocabulary().type(id);
        const bool special = type == TokenType::Control || type == TokenType::UserDefined;
        const QString colour = special ? QStringLiteral("#ffc4c4") : QString::fromLatin1(palette[i % 6]);
        html += QStringLiteral("<span style=\"background-color:%1; color:#1a1a1a;\">&nbsp;%2&nbsp;</span>"
                               "<sub style=\"color:#666666;\">%3</sub> ")
                    .arg(colour, chipText(*tokenizer_, id).toHtmlEscaped(), QString::number(id));
    }
    if (ids_.size() > shown)
        html += tr("… and %1 more tokens").arg(ids_.size() - shown).toHtmlEscaped();
    html += QStringLiteral("</div>");
    chips_->setHtml(html);
}

} // namespace matryx
