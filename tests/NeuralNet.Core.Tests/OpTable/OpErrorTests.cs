namespace NeuralNet.Tests.OpTable;

using NeuralNet;

/// <summary>
/// Inputs every op must refuse (PyTorch's error_inputs): the exception type, and a message that names the op
/// and the shapes or the axis, never an IndexOutOfRangeException from deep inside.
/// </summary>
public class OpErrorTests
{
    private static readonly ErrorCase[] All =
    [
        .. BinaryErrors("Add", Tensor.Add),
        .. BinaryErrors("Subtract", Tensor.Subtract),
        .. BinaryErrors("Multiply", Tensor.Multiply),
        .. BinaryErrors("Divide", Tensor.Divide),
        new("Add operator: [2,3] + [4,3]", () => F64(2, 3) + F64(4, 3), typeof(ArgumentException), "Add", "[2,3]", "[4,3]"),

        .. BinaryErrors("Pow", (a, b) => a.Pow(b)),
        .. BinaryErrors("Maximum", Tensor.Maximum),
        .. BinaryErrors("GreaterThan", Tensor.GreaterThan),
        .. BinaryErrors("LessThanOrEqual", Tensor.LessThanOrEqual),
        .. BinaryErrors("Equal", Tensor.Equal),
        .. BinaryErrors("Minimum", Tensor.Minimum),
        .. BinaryErrors("Where", (a, b) => Tensor.Where(F64(), a, b)),
        new("Where: condition does not broadcast", () => Tensor.Where(F64(5), F64(2, 3), F64(2, 3)), typeof(ArgumentException), "Where", "[5]", "[2,3]"),
        new("Clamp: min above max", () => F64(2, 3).Clamp(1, -1), typeof(ArgumentOutOfRangeException), "Clamp", "min 1", "max -1", "[2,3]"),
        new("Clamp: NaN bound", () => F64(2).Clamp(double.NaN, 1), typeof(ArgumentOutOfRangeException), "Clamp", "NaN"),
        new("LeakyRelu: NaN slope", () => F64(2).LeakyRelu(double.NaN), typeof(ArgumentOutOfRangeException), "LeakyRelu", "alpha", "NaN"),
        new("Elu: infinite alpha", () => F64(2).Elu(double.PositiveInfinity), typeof(ArgumentOutOfRangeException), "Elu", "alpha", "Infinity"),

        new("Pow: NaN exponent", () => F64(2, 3).Pow(double.NaN), typeof(ArgumentOutOfRangeException), "Pow", "NaN", "[2,3]"),

        .. ReductionErrors("Sum", (x, axes) => x.Sum(axes), (x, axis) => x.Sum(axis)),
        .. ReductionErrors("Mean", (x, axes) => x.Mean(axes), (x, axis) => x.Mean(axis)),
        .. ReductionErrors("Max", (x, axes) => x.Max(axes), (x, axis) => x.Max(axis)),
        .. ReductionErrors("Min", (x, axes) => x.Min(axes), (x, axis) => x.Min(axis)),
        .. ReductionErrors("Variance", (x, axes) => x.Variance(axes), (x, axis) => x.Variance(axis)),
        .. ReductionErrors("StandardDeviation", (x, axes) => x.StandardDeviation(axes), (x, axis) => x.StandardDeviation(axis)),
        new("Max: empty axis", () => F64(2, 0).Max(1), typeof(ArgumentException), "Max", "axis 1", "[2,0]", "empty"),
        new("Max: all axes of an empty tensor", () => F64(0, 3).Max(), typeof(ArgumentException), "Max", "axis 0", "[0,3]", "empty"),
        new("Min: empty axis", () => F64(0, 3).Min(0, keepDims: true), typeof(ArgumentException), "Min", "axis 0", "[0,3]", "empty"),
        new("Variance: negative correction", () => F64(2, 3).Variance(correction: -1), typeof(ArgumentOutOfRangeException), "Variance", "correction -1", "[2,3]"),
        new("Variance: correction leaves no degrees of freedom", () => F64(2, 3).Variance(0, correction: 2), typeof(ArgumentOutOfRangeException), "Variance", "correction 2", "2 elements", "[2,3]"),
        new("Variance: empty reduction", () => F64(0, 3).Variance(0), typeof(ArgumentOutOfRangeException), "Variance", "0 elements", "[0,3]"),
        new("StandardDeviation: correction of a scalar", () => F64().StandardDeviation(correction: 1), typeof(ArgumentOutOfRangeException), "StandardDeviation", "correction 1", "[]"),
        .. AxisErrors("LogSumExp", (x, axis) => x.LogSumExp(axis)),
        .. AxisErrors("Softmax", (x, axis) => x.Softmax(axis)),
        .. AxisErrors("LogSoftmax", (x, axis) => x.LogSoftmax(axis)),
        new("Softmax: default axis of a scalar", () => F64().Softmax(), typeof(ArgumentOutOfRangeException), "Softmax", "axis -1", "[]"),

        new("Reshape: sizes differ", () => F64(2, 3).Reshape(4, 2), typeof(ArgumentException), "Reshape", "[2,3]", "[4,2]"),
        new("Reshape: two -1", () => F64(2, 3).Reshape(-1, -1), typeof(ArgumentException), "Reshape", "[2,3]", "[-1,-1]"),
        new("Reshape: -1 does not divide", () => F64(2, 3).Reshape(-1, 4), typeof(ArgumentException), "Reshape", "[2,3]", "[-1,4]"),
        new("Reshape: negative dimension", () => F64(2, 3).Reshape(-2, -3), typeof(ArgumentException), "Reshape", "[2,3]", "[-2,-3]"),
        new("Reshape(Shape): sizes differ", () => F64(2, 3).Reshape(new Shape(5)), typeof(ArgumentException), "Reshape", "[2,3]", "[5]"),

        new("Transpose: rank 3", () => F64(2, 3, 4).Transpose(), typeof(ArgumentException), "Transpose", "[2,3,4]"),
        new("Transpose: rank 1", () => F64(3).Transpose(), typeof(ArgumentException), "Transpose", "[3]"),

        new("Permute: too few axes", () => F64(2, 3, 4).Permute(1, 0), typeof(ArgumentException), "Permute", "[2,3,4]", "[1,0]"),
        new("Permute: repeated axis", () => F64(2, 3, 4).Permute(0, 1, 1), typeof(ArgumentException), "Permute", "[2,3,4]", "axis 1"),
        new("Permute: axis out of range", () => F64(2, 3).Permute(0, 2), typeof(ArgumentOutOfRangeException), "Permute", "[2,3]", "axis 2"),

        new("BroadcastTo: incompatible", () => F64(2, 3).BroadcastTo([4, 3]), typeof(ArgumentException), "BroadcastTo", "[2,3]", "[4,3]"),
        new("BroadcastTo: fewer axes", () => F64(2, 3).BroadcastTo([3]), typeof(ArgumentException), "BroadcastTo", "[2,3]", "[3]"),

        new("SumTo: incompatible", () => F64(2, 3).SumTo([4]), typeof(ArgumentException), "SumTo", "[2,3]", "[4]"),
        new("SumTo: more axes", () => F64(2, 3).SumTo([1, 2, 3]), typeof(ArgumentException), "SumTo", "[2,3]", "[1,2,3]"),

        new("Squeeze: axis not of size 1", () => F64(2, 1, 3).Squeeze(2), typeof(ArgumentException), "Squeeze", "axis 2", "[2,1,3]", "size 3"),
        new("Squeeze: axis out of range", () => F64(2, 1).Squeeze(2), typeof(ArgumentOutOfRangeException), "Squeeze", "axis 2", "[2,1]"),
        new("Squeeze: repeated axis", () => F64(2, 1).Squeeze(1, -1), typeof(ArgumentException), "Squeeze", "repeated", "[2,1]"),
        new("Unsqueeze: axis past the end", () => F64(2, 3).Unsqueeze(3), typeof(ArgumentOutOfRangeException), "Unsqueeze", "axis 3", "[2,3]"),
        new("Unsqueeze: negative axis out of range", () => F64(2, 3).Unsqueeze(-4), typeof(ArgumentOutOfRangeException), "Unsqueeze", "axis -4", "[2,3]"),

        new("Slice: axis out of range", () => F64(2, 3).Slice(2, 0, 1), typeof(ArgumentOutOfRangeException), "Slice", "axis 2", "[2,3]"),
        new("Slice: past the end", () => F64(2, 3).Slice(1, 2, 2), typeof(ArgumentOutOfRangeException), "Slice", "start 2", "length 2", "[2,3]"),
        new("Slice: start past the end", () => F64(2, 3).Slice(0, 3, 0), typeof(ArgumentOutOfRangeException), "Slice", "start 3", "[2,3]"),
        new("Slice: negative start too far", () => F64(2, 3).Slice(1, -4, 1), typeof(ArgumentOutOfRangeException), "Slice", "start -4", "[2,3]"),
        new("Slice: negative length", () => F64(2, 3).Slice(1, 0, -1), typeof(ArgumentOutOfRangeException), "Slice", "length -1", "[2,3]"),
        new("Slice: scalar", () => F64().Slice(0, 0, 1), typeof(ArgumentOutOfRangeException), "Slice", "axis 0", "[]"),

        new("Gather: index past the end", () => F64(3, 4).Gather([0, 3]), typeof(ArgumentOutOfRangeException), "Gather", "index 3", "[3,4]"),
        new("Gather: negative index too far", () => F64(3, 4).Gather([-5], axis: 1), typeof(ArgumentOutOfRangeException), "Gather", "index -5", "[3,4]"),
        new("Gather: axis out of range", () => F64(3, 4).Gather([0], axis: 2), typeof(ArgumentOutOfRangeException), "Gather", "axis 2", "[3,4]"),
        new("Gather: null indices", () => F64(3, 4).Gather(null!), typeof(ArgumentNullException), "indices"),

        new("Concatenate: empty list", () => Tensor.Concatenate([]), typeof(ArgumentException), "Concatenate", "empty"),
        new("Concatenate: other axis differs", () => Tensor.Concatenate([F64(2, 3), F64(2, 4)]), typeof(ArgumentException), "Concatenate", "[2,3]", "[2,4]", "axis 1"),
        new("Concatenate: ranks differ", () => Tensor.Concatenate([F64(2, 3), F64(3)]), typeof(ArgumentException), "Concatenate", "[2,3]", "[3]"),
        new("Concatenate: scalar", () => Tensor.Concatenate([F64(), F64()]), typeof(ArgumentException), "Concatenate", "scalar", "[]"),
        new("Concatenate: axis out of range", () => Tensor.Concatenate([F64(2, 3), F64(2, 3)], 2), typeof(ArgumentOutOfRangeException), "Concatenate", "axis 2", "[2,3]"),
        new("Concatenate: null tensor", () => Tensor.Concatenate([F64(2), null!]), typeof(ArgumentNullException), "Concatenate", "tensor 1"),

        new("Stack: shapes differ", () => Tensor.Stack([F64(2, 3), F64(3, 2)]), typeof(ArgumentException), "Stack", "[2,3]", "[3,2]"),
        new("Stack: empty list", () => Tensor.Stack([]), typeof(ArgumentException), "Stack", "empty"),
        new("Stack: axis out of range", () => Tensor.Stack([F64(2), F64(2)], 2), typeof(ArgumentOutOfRangeException), "Stack", "axis 2", "[2]"),

        new("OneHot: label past the end", () => Tensor.OneHot([0, 3], 3), typeof(ArgumentOutOfRangeException), "OneHot", "label 3", "3 classes"),
        new("OneHot: negative label", () => Tensor.OneHot([-1], 3), typeof(ArgumentOutOfRangeException), "OneHot", "label -1", "3 classes"),
        new("OneHot: no classes", () => Tensor.OneHot([0], 0), typeof(ArgumentOutOfRangeException), "OneHot", "classes 0"),

        new("Dot: lengths differ", () => Tensor.Dot(F64(3), F64(4)), typeof(ArgumentException), "Dot", "[3]", "[4]", "3 and 4"),
        new("Dot: matrix operand", () => Tensor.Dot(F64(2, 3), F64(6)), typeof(ArgumentException), "Dot", "[2,3]", "[6]"),
        new("Dot: mixed dtypes", () => Tensor.Dot(F32(3), F64(3)), typeof(ArgumentException), "Dot", "Float32", "Float64", "[3]"),
        new("Outer: scalar operand", () => Tensor.Outer(F64(), F64(3)), typeof(ArgumentException), "Outer", "[]", "[3]"),
        new("Outer: mixed dtypes", () => Tensor.Outer(F64(2), F32(3)), typeof(ArgumentException), "Outer", "Float32", "Float64", "[2]", "[3]"),

        new("Linear: input features differ", () => Tensor.Linear(F64(2, 3), F64(4, 5)), typeof(ArgumentException), "Linear", "[2,3]", "[4,5]"),
        new("Linear: bias length", () => Tensor.Linear(F64(2, 3), F64(4, 3), F64(5)), typeof(ArgumentException), "Linear", "[4,3]", "[5]"),
        new("Linear: dtypes differ", () => Tensor.Linear(F64(2, 3), Tensor.Zeros([4, 3])), typeof(ArgumentException), "Linear", "Float64", "Float32"),
        new("SoftmaxCrossEntropy: label count", () => Tensor.SoftmaxCrossEntropy(F64(2, 3), [0]), typeof(ArgumentException), "SoftmaxCrossEntropy", "[2,3]", "n = 1"),
        new("SoftmaxCrossEntropy: label range", () => Tensor.SoftmaxCrossEntropy(F64(2, 3), [0, 3]), typeof(ArgumentOutOfRangeException), "SoftmaxCrossEntropy", "label 3", "[2,3]"),
        new("SoftmaxCrossEntropy: logits rank", () => Tensor.SoftmaxCrossEntropy(F64(3), [0, 1, 2]), typeof(ArgumentException), "SoftmaxCrossEntropy", "[3]"),
        new("MatMul: inner dimensions differ", () => F64(2, 3).MatMul(F64(4, 5)), typeof(ArgumentException), "MatMul", "[2,3]", "[4,5]", "3 and 4"),
        new("MatMul: scalar operand", () => F64().MatMul(F64(3, 2)), typeof(ArgumentException), "MatMul", "[]", "[3,2]"),
        new("MatMul: vector inner dimensions", () => F64(4).MatMul(F64(3, 2)), typeof(ArgumentException), "MatMul", "[4]", "[3,2]", "4 and 3"),
        new("MatMul: batch axes", () => F64(2, 3, 4).MatMul(F64(3, 4, 5)), typeof(ArgumentException), "MatMul", "[2,3,4]", "[3,4,5]", "[2]", "[3]"),
        new("MatMul: transposed vector", () => Tensor.MatMul(F64(3), F64(3, 2), transposeA: true), typeof(ArgumentException), "MatMul", "[3]", "[3,2]"),
        new("MatMul: mixed dtypes", () => F32(2, 3).MatMul(F64(3, 2)), typeof(ArgumentException), "MatMul", "Float32", "Float64", "[2,3]", "[3,2]"),

        new("Conv2d: input rank 3", () => Tensor.Conv2d(F64(3, 5, 5), F64(4, 3, 3, 3)), typeof(ArgumentException), "Conv2d", "[3,5,5]", "[4,3,3,3]", "[N, C, H, W]"),
        new("Conv2d: weight rank 3", () => Tensor.Conv2d(F64(1, 3, 5, 5), F64(4, 3, 3)), typeof(ArgumentException), "Conv2d", "[1,3,5,5]", "[4,3,3]"),
        new("Conv2d: channels differ", () => Tensor.Conv2d(F64(1, 3, 5, 5), F64(4, 2, 3, 3)), typeof(ArgumentException), "Conv2d", "[1,3,5,5]", "[4,2,3,3]", "3 channels", "expects 2"),
        new("Conv2d: bias length", () => Tensor.Conv2d(F64(1, 3, 5, 5), F64(4, 3, 3, 3), F64(3)), typeof(ArgumentException), "Conv2d", "bias [3]", "[4]", "[4,3,3,3]"),
        new("Conv2d: kernel larger than the padded input", () => Tensor.Conv2d(F64(1, 1, 2, 5), F64(1, 1, 3, 3), padding: (0, 1)), typeof(ArgumentException), "Conv2d", "(3, 3)", "[1,1,2,5]", "(0, 1)"),
        new("Conv2d: dilated kernel larger than the input", () => Tensor.Conv2d(F64(1, 1, 4, 4), F64(1, 1, 2, 2), dilation: 4), typeof(ArgumentException), "Conv2d", "dilation (4, 4)", "[1,1,4,4]"),
        new("Conv2d: zero stride", () => Tensor.Conv2d(F64(1, 1, 4, 4), F64(1, 1, 2, 2), stride: (1, 0)), typeof(ArgumentOutOfRangeException), "Conv2d", "stride (1, 0)", "[1,1,4,4]"),
        new("Conv2d: negative dilation", () => Tensor.Conv2d(F64(1, 1, 4, 4), F64(1, 1, 2, 2), dilation: -1), typeof(ArgumentOutOfRangeException), "Conv2d", "dilation (-1, -1)", "[1,1,4,4]"),
        new("Conv2d: negative padding", () => Tensor.Conv2d(F64(1, 1, 4, 4), F64(1, 1, 2, 2), padding: (-1, 0)), typeof(ArgumentOutOfRangeException), "Conv2d", "padding (-1, 0)", "[1,1,4,4]"),
        new("Conv2d: empty kernel", () => Tensor.Conv2d(F64(1, 1, 4, 4), F64(1, 1, 0, 2)), typeof(ArgumentException), "Conv2d", "weight [1,1,0,2]", "empty kernel"),
        new("Conv1d: empty kernel", () => Tensor.Conv1d(F64(1, 1, 4), F64(1, 1, 0)), typeof(ArgumentException), "Conv1d", "weight [1,1,0]", "empty kernel"),
        new("Conv2d: dtypes differ", () => Tensor.Conv2d(F64(1, 1, 4, 4), F32(1, 1, 2, 2)), typeof(ArgumentException), "Conv2d", "Float64", "Float32"),
        new("Conv1d: input rank 4", () => Tensor.Conv1d(F64(1, 3, 5, 5), F64(4, 3, 3)), typeof(ArgumentException), "Conv1d", "[1,3,5,5]", "[4,3,3]", "[N, C, L]"),
        new("Conv1d: channels differ", () => Tensor.Conv1d(F64(2, 3, 8), F64(4, 2, 3)), typeof(ArgumentException), "Conv1d", "[2,3,8]", "[4,2,3]", "3 channels"),
        new("Conv1d: kernel longer than the padded input", () => Tensor.Conv1d(F64(2, 3, 4), F64(4, 3, 3), dilation: 2), typeof(ArgumentException), "Conv1d", "[2,3,4]", "[4,3,3]", "dilation 2", "spans 5"),
        new("Conv1d: zero stride", () => Tensor.Conv1d(F64(2, 3, 8), F64(4, 3, 3), stride: 0), typeof(ArgumentOutOfRangeException), "Conv1d", "stride 0", "[2,3,8]"),
        new("Conv1d: negative padding", () => Tensor.Conv1d(F64(2, 3, 8), F64(4, 3, 3), padding: -2), typeof(ArgumentOutOfRangeException), "Conv1d", "padding -2", "[2,3,8]"),
        new("Unfold: input rank 3", () => Tensor.Unfold(F64(3, 4, 4), 2), typeof(ArgumentException), "Unfold", "[3,4,4]", "[N, C, H, W]"),
        new("Unfold: kernel larger than the input", () => Tensor.Unfold(F64(1, 1, 4, 4), (5, 1)), typeof(ArgumentException), "Unfold", "(5, 1)", "[1,1,4,4]"),
        new("Unfold: zero kernel", () => Tensor.Unfold(F64(1, 1, 4, 4), (0, 2)), typeof(ArgumentOutOfRangeException), "Unfold", "kernel size (0, 2)", "[1,1,4,4]"),
        new("Fold: input rank 4", () => Tensor.Fold(F64(1, 4, 9, 1), 4, 2), typeof(ArgumentException), "Fold", "[1,4,9,1]", "[N, C·kh·kw, L]"),
        new("Fold: wrong number of windows", () => Tensor.Fold(F64(1, 4, 8), 4, 2), typeof(ArgumentException), "Fold", "[1,4,8]", "9]", "(4, 4)"),
        new("Fold: rows not a multiple of the kernel", () => Tensor.Fold(F64(1, 5, 9), 4, 2), typeof(ArgumentException), "Fold", "[1,5,9]", "C·4"),
        // Sizes that would wrap around an int: 3 + 2·2³⁰ padded rows once gave 9 windows of zeros without an error;
        // a 65536×65537 window holds 2³² + 2¹⁶ elements.
        new("Unfold: padding past an int", () => Tensor.Unfold(F64(1, 1, 3, 3), 1, padding: 1 << 30), typeof(ArgumentException), "Unfold", "[1,1,3,3]", "more than an array can hold"),
        new("Unfold: padded width past an int", () => Tensor.Unfold(F64(1, 1, 3, 3), 1, padding: (0, 1 << 30)), typeof(ArgumentException), "Unfold", "(0, 1073741824)", "more than an array can hold"),
        new("Fold: padding past an int", () => Tensor.Fold(F64(1, 1, 4), (1, 1), 1, padding: 1 << 30), typeof(ArgumentException), "Fold", "[1,1,4]", "more than an array can hold"),
        new("Conv1d: padding past an int", () => Tensor.Conv1d(F64(1, 1, 3), F64(1, 1, 1), padding: 1 << 30), typeof(ArgumentException), "Conv1d", "[1,1,3]", "more than an array can hold"),
        new("AvgPool2d: a window of more elements than an array", () => Tensor.AvgPool2d(F64(1, 1, 1, 1), (65536, 65537), padding: (32768, 32768)), typeof(ArgumentException), "AvgPool2d", "[1,1,1,1]", "4295032832 elements"),
        new("Fold: zero output size", () => Tensor.Fold(F64(1, 4, 9), (0, 4), 2), typeof(ArgumentOutOfRangeException), "Fold", "output size (0, 4)", "[1,4,9]"),
        new("MaxPool2d: input rank 3", () => Tensor.MaxPool2d(F64(1, 4, 4), 2), typeof(ArgumentException), "MaxPool2d", "[1,4,4]", "[N, C, H, W]"),
        new("MaxPool2d: kernel larger than the padded input", () => Tensor.MaxPool2d(F64(1, 1, 2, 2), 5, padding: 1), typeof(ArgumentException), "MaxPool2d", "(5, 5)", "[1,1,2,2]", "4×4"),
        new("MaxPool2d: padding more than half the kernel", () => Tensor.MaxPool2d(F64(1, 1, 6, 6), 2, padding: 2), typeof(ArgumentOutOfRangeException), "MaxPool2d", "padding (2, 2)", "kernel (2, 2)", "half", "[1,1,6,6]"),
        new("MaxPool2d: zero stride", () => Tensor.MaxPool2d(F64(1, 1, 4, 4), 2, stride: 0), typeof(ArgumentOutOfRangeException), "MaxPool2d", "stride (0, 0)", "[1,1,4,4]"),
        new("MaxPool2d: zero dilation", () => Tensor.MaxPool2d(F64(1, 1, 4, 4), 2, dilation: (0, 1)), typeof(ArgumentOutOfRangeException), "MaxPool2d", "dilation (0, 1)", "[1,1,4,4]"),
        new("AvgPool2d: input rank 2", () => Tensor.AvgPool2d(F64(4, 4), 2), typeof(ArgumentException), "AvgPool2d", "[4,4]", "[N, C, H, W]"),
        new("AvgPool2d: negative padding", () => Tensor.AvgPool2d(F64(1, 1, 4, 4), 2, padding: -1), typeof(ArgumentOutOfRangeException), "AvgPool2d", "padding (-1, -1)", "[1,1,4,4]"),
        new("AvgPool2d: padding more than half the kernel", () => Tensor.AvgPool2d(F64(1, 1, 4, 4), (3, 2), padding: (1, 2)), typeof(ArgumentOutOfRangeException), "AvgPool2d", "padding (1, 2)", "kernel (3, 2)", "[1,1,4,4]"),
    ];

    /// <summary>Every error case by label.</summary>
    public static IEnumerable<object[]> Cases => All.Select(c => new object[] { c.Label });

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInputThrowsNamingTheOpAndShapes(string label)
    {
        ErrorCase error = All.Single(c => c.Label == label);
        Exception? thrown = Record.Exception(() => error.Act());
        thrown.Should().NotBeNull($"{label} must throw").And.BeOfType(error.Expected);
        thrown!.Message.Should().ContainAll(error.MessageNames);
    }

    private static ErrorCase[] BinaryErrors(string op, Func<Tensor, Tensor, Tensor> apply) =>
    [
        new($"{op}: shapes do not broadcast", () => apply(F64(2, 3), F64(4, 3)), typeof(ArgumentException), op, "[2,3]", "[4,3]"),
        new($"{op}: size-1 axis cannot fix a mismatch", () => apply(F64(2, 1, 3), F64(4, 2)), typeof(ArgumentException), op, "[2,1,3]", "[4,2]"),
    ];

    private static ErrorCase[] ReductionErrors(string op, Func<Tensor, int[], Tensor> overAxes, Func<Tensor, int, Tensor> overAxis) =>
    [
        new($"{op}: axis out of range", () => overAxis(F64(2, 3), 5), typeof(ArgumentOutOfRangeException), op, "axis 5", "[2,3]"),
        new($"{op}: negative axis out of range", () => overAxis(F64(2, 3), -3), typeof(ArgumentOutOfRangeException), op, "axis -3", "[2,3]"),
        new($"{op}: axis of a scalar", () => overAxis(F64(), 0), typeof(ArgumentOutOfRangeException), op, "axis 0", "[]"),
        new($"{op}: repeated axis", () => overAxes(F64(2, 3), [1, 1]), typeof(ArgumentException), op, "axis 1", "repeated", "[2,3]"),
        new($"{op}: axis repeated as negative", () => overAxes(F64(2, 3), [1, -1]), typeof(ArgumentException), op, "repeated", "[2,3]"),
    ];

    private static ErrorCase[] AxisErrors(string op, Func<Tensor, int, Tensor> overAxis) =>
    [
        new($"{op}: axis out of range", () => overAxis(F64(2, 3), 2), typeof(ArgumentOutOfRangeException), op, "axis 2", "[2,3]"),
        new($"{op}: negative axis out of range", () => overAxis(F64(2, 3), -3), typeof(ArgumentOutOfRangeException), op, "axis -3", "[2,3]"),
        new($"{op}: axis of a scalar", () => overAxis(F64(), 0), typeof(ArgumentOutOfRangeException), op, "axis 0", "[]"),
    ];

    private static Tensor F64(params int[] shape) => Tensor.Ones(shape, DType.Float64);

    private static Tensor F32(params int[] shape) => Tensor.Ones(shape, DType.Float32);

    private sealed record ErrorCase(string Label, Action Act, Type Expected, params string[] MessageNames)
    {
        public ErrorCase(string label, Func<Tensor> act, Type expected, params string[] messageNames)
            : this(label, () => { act(); }, expected, messageNames)
        {
        }
    }
}
