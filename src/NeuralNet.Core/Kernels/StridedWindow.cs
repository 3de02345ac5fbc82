namespace NeuralNet;

/// <summary>
/// A box of positions in a row-major tensor: along each axis d, <c>Count[d]</c> positions from <c>Start[d]</c>,
/// every <c>Step[d]</c>-th (the part of a tensor a basic index selects). Gather copies the box out; Scatter, its
/// adjoint, writes a box-shaped tensor into zeros of the whole shape.
/// </summary>
internal sealed class StridedWindow(int[] start, int[] step, int[] count)
{
    /// <summary>The first position per axis.</summary>
    public int[] Start { get; } = start;

    /// <summary>The step per axis (positive).</summary>
    public int[] Step { get; } = step;

    /// <summary>The number of positions per axis: the box's shape.</summary>
    public int[] Count { get; } = count;

    /// <summary>The box's values of <paramref name="x"/>, as a tensor of the box's shape.</summary>
    public Tensor Gather(Tensor x)
    {
        var shape = new Shape(Count);
        if (x.DType == DType.Float32)
        {
            float[] result = Tensor.AllocateUninitialized<float>(shape.Size);
            Copy<float>(x.Span<float>(), x.Shape, result, toBox: true);
            return new Tensor(result, shape);
        }

        double[] values = Tensor.AllocateUninitialized<double>(shape.Size);
        Copy<double>(x.Span<double>(), x.Shape, values, toBox: true);
        return new Tensor(values, shape);
    }

    /// <summary>Zeros of <paramref name="whole"/> with <paramref name="box"/> (of the box's shape) written at the box.</summary>
    public Tensor Scatter(Tensor box, Shape whole)
    {
        if (box.DType == DType.Float32)
        {
            float[] result = Tensor.Allocate<float>(whole.Size);
            Copy<float>(result, whole, box.Span<float>(), toBox: false);
            return new Tensor(result, whole);
        }

        double[] values = Tensor.Allocate<double>(whole.Size);
        Copy<double>(values, whole, box.Span<double>(), toBox: false);
        return new Tensor(values, whole);
    }

    // Walks the box row by row (an odometer over all axes but the last) and copies each row between the whole
    // tensor and the box, in the direction toBox says.
    private void Copy<T>(Span<T> whole, Shape wholeShape, Span<T> box, bool toBox)
    {
        int rank = Count.Length;
        if (rank == 0)
        {
            if (toBox)
            {
                box[0] = whole[0];
            }
            else
            {
                whole[0] = box[0];
            }

            return;
        }

        if (box.IsEmpty)
        {
            return;
        }

        var strides = new int[rank];
        strides[rank - 1] = 1;
        for (int d = rank - 2; d >= 0; d--)
        {
            strides[d] = strides[d + 1] * wholeShape.Dimensions[d + 1];
        }

        int row = Count[rank - 1], rowStep = Step[rank - 1];
        var position = new int[rank - 1];
        for (int boxOffset = 0; boxOffset < box.Length; boxOffset += row)
        {
            int offset = Start[rank - 1];
            for (int d = 0; d < rank - 1; d++)
            {
                offset += (Start[d] + position[d] * Step[d]) * strides[d];
            }

            Span<T> boxRow = box.Slice(boxOffset, row);
            if (rowStep == 1)
            {
                if (toBox)
                {
                    whole.Slice(offset, row).CopyTo(boxRow);
                }
                else
                {
                    boxRow.CopyTo(whole.Slice(offset, row));
                }
            }
            else
            {
                for (int k = 0; k < row; k++)
                {
                    if (toBox)
                    {
                        boxRow[k] = whole[offset + k * rowStep];
                    }
                    else
                    {
                        whole[offset + k * rowStep] = boxRow[k];
                    }
                }
            }

            for (int d = rank - 2; d >= 0 && ++position[d] == Count[d]; d--)
            {
                position[d] = 0;
            }
        }
    }
}
