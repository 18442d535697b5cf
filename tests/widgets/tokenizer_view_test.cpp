#include "tokenizer_view.h"

#include "format/model_reader.h"

#include <QFileInfo>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTest>

using namespace matryx;

namespace {

std::shared_ptr<const Tokenizer> demoTokenizer() {
    const QString demo = qEnvironmentVariable("MATRYX_DEMO_MODEL");
    if (!QFileInfo::exists(demo))
        return nullptr;
    auto model = openModel(demo.toStdString());
    if (!model)
        return nullptr;
    auto vocabulary = Vocabulary::fromMetadata(model->metadata, demo.toStdString());
    if (!vocabulary)
        return nullptr;
    auto tokenizer = makeTokenizer(*vocabulary);
    return tokenizer ? std::shared_ptr<const Tokenizer>(std::move(tokenizer).value()) : nullptr;
}

} // namespace

class TokenizerViewTest : public QObject {
    Q_OBJECT
private slots:
    void showsTheVocabularyAndItsSpecialTokens() {
        const auto tokenizer = demoTokenizer();
        QVERIFY2(tokenizer, "demo model missing: run packaging/bootstrap.sh models");
        TokenizerView view;
        view.setTokenizer(tokenizer);
        QCOMPARE(view.vocabularySizeLabel()->text(), QLocale().toString(49152) + QStringLiteral(" tokens"));
        QCOMPARE(TokenizerView::kindText(tokenizer->vocabulary()), QStringLiteral("BPE, byte-level (gpt2)"));
        // SmolLM2's BOS and EOS as llama.cpp reports them (llama-tokenize / gguf-py).
        QTableWidget* specials = view.specialTokenTable();
        QVERIFY(specials->rowCount() >= 2);
        QCOMPARE(specials->item(0, 0)->text(), QStringLiteral("BOS"));
        QCOMPARE(specials->item(0, 1)->text(), QStringLiteral("1"));
        QCOMPARE(specials->item(0, 2)->text(), QStringLiteral("<|im_start|>"));
        QCOMPARE(specials->item(1, 0)->text(), QStringLiteral("EOS"));
        QCOMPARE(specials->item(1, 2)->text(), QStringLiteral("<|im_end|>"));
    }

    void tokenizesAsOneTypes() {
        const auto tokenizer = demoTokenizer();
        QVERIFY2(tokenizer, "demo model missing: run packaging/bootstrap.sh models");
        TokenizerView view;
        view.show();
        view.setTokenizer(tokenizer);
        QTest::keyClicks(view.textEdit(), QStringLiteral("Hello world, blk.10 tokens!"));
        // Ids from llama.cpp: llama-tokenize -m SmolLM2-135M-Instruct.Q4_1.gguf --ids
        const std::vector<TokenId> expected{19556, 905, 28, 754, 91, 30, 33, 32, 17837, 17};
        QCOMPARE(view.tokenIds(), expected);
        QTest::keyClick(view.textEdit(), Qt::Key_Backspace);
        QCOMPARE(view.tokenIds().size(), expected.size() - 1);

        view.setTokenizer(nullptr, QStringLiteral("no vocabulary"));
        QVERIFY(view.tokenIds().empty());
        QVERIFY(!view.textEdit()->isEnabled());
    }
};

QTEST_MAIN(TokenizerViewTest)
#include "tokenizer_view_test.moc"
