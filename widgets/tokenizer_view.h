#pragma once

// The tokenizer page: what the model's vocabulary is (size, BPE or SentencePiece, the
// pre-tokenizer, whether BOS / EOS are added, the special tokens and their ids) and a text box
// that shows, as one types, how the text tokenizes: each token as a coloured chip with its id.
//
// The owner builds the Tokenizer (off the GUI thread: a vocabulary has 150 000 tokens) and hands
// it over; tokenizing typed text needs no I/O and is quick, so it runs here as one types.

#include "infer/tokenizer.h"

#include <QWidget>

#include <memory>
#include <vector>

class QCheckBox;
class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QTableWidget;
class QTextBrowser;

namespace matryx {

class TokenizerView : public QWidget {
    Q_OBJECT
public:
    explicit TokenizerView(QWidget* parent = nullptr);

    // Shows `tokenizer` (shared; the view keeps it alive). nullptr with a message says why there
    // is none (no vocabulary, a kind Matryx does not tokenize); nullptr without one clears the page.
    void setTokenizer(std::shared_ptr<const Tokenizer> tokenizer, const QString& unavailable = {});
    const Tokenizer* tokenizer() const { return tokenizer_.get(); }

    // Replaces the sample text (and tokenizes it).
    void setText(const QString& text);
    // The ids of the text in the box, as last tokenized.
    const std::vector<TokenId>& tokenIds() const { return ids_; }

    QPlainTextEdit* textEdit() const { return input_; }
    QTableWidget* specialTokenTable() const { return specials_; }
    QLabel* vocabularySizeLabel() const { return size_; }

    // "BPE (byte-level, gpt2)", "SentencePiece (llama)", ...
    static QString kindText(const Vocabulary& vocabulary);

private:
    void showVocabulary();
    void tokenize();

    std::shared_ptr<const Tokenizer> tokenizer_;
    QLabel* unavailable_;
    QWidget* facts_;
    QLabel* size_;
    QLabel* kind_;
    QLabel* pre_;
    QLabel* adds_;
    QTableWidget* specials_;
    QPlainTextEdit* input_;
    QCheckBox* addSpecial_;
    QCheckBox* parseSpecial_;
    QLabel* count_;
    QTextBrowser* chips_;
    std::vector<TokenId> ids_;
};

} // namespace matryx
