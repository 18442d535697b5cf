#pragma once

// A model's tensors as a two-level tree over an immutable snapshot: groups ("Embeddings",
// "Layer 0", "Layer 1", ..., "Output", "Other") hold their tensors. Tensors named blk.N.* go to
// "Layer N" (enc.blk.N / dec.blk.N to "Encoder layer N" / "Decoder layer N"); token and
// position embeddings to "Embeddings"; output and output_norm to "Output"; the rest to "Other".
// Columns: name, type, shape, size and share of all tensor bytes; a group shows its tensor
// count, its types and its totals. Sorting and filtering belong in ModelTreeProxy on top.

#include "format/model.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace matryx {

class ModelTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Type, Shape, Bytes, Share, ColumnCount };
    // Raw values for sorting: numbers stay numbers; names are strings for natural order, and a
    // group's name is prefixed with its rank so that embeddings come first and output last.
    static constexpr int SortRole = Qt::UserRole + 1;
    // The full tensor name on a tensor row (any column); empty on a group row.
    static constexpr int TensorNameRole = Qt::UserRole + 2;

    explicit ModelTreeModel(QObject* parent = nullptr);

    // Shows the tensors of `model`; nullptr clears the tree.
    void setModel(std::shared_ptr<const Model> model);
    const Model* model() const { return model_.get(); }

    // The index (column 0) of the named tensor, or an invalid index.
    QModelIndex indexOfTensor(const QString& name) const;
    int tensorCount() const { return model_ ? static_cast<int>(model_->tensors.size()) : 0; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Group {
        enum Kind { Embeddings, Layer, EncoderLayer, DecoderLayer, Other, Output } kind;
        int layer = -1;
        std::vector<int> tensors; // indices into Model::tensors, file order
        uint64_t bytes = 0;
        uint64_t elements = 0;
    };

    QString groupName(const Group& group) const;
    QVariant groupData(const Group& group, int column, int role) const;
    QVariant tensorData(const TensorInfo& tensor, int column, int role) const;
    double share(uint64_t bytes) const;

    std::shared_ptr<const Model> model_;
    std::vector<Group> groups_;
    uint64_t totalBytes_ = 0;
};

} // namespace matryx
