namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;
using static NeuralNet.Optimizers.Tests.TestFunctions;

/// <summary>
/// The one-pass updates work a vector of elements at a time with a partial vector at the end. The trajectory
/// tests use three elements, all in that last vector; here every rule runs on 37 elements (full vectors of every
/// width up to 16 floats, and a tail), and each element must follow exactly the three-element trajectory that those
/// tests check against the published formulas. A parameter of 2¹⁵ elements or more is split into ranges run on several
/// threads; on 98,309 elements (three threads' ranges and a tail) every element must still follow that trajectory.
/// </summary>
public class FusedUpdateTests
{
    private const int Length = 37;

    private const int SplitLength = (3 << 15) + 5;

    public static TheoryData<string, DType> Rules()
    {
        var data = new TheoryData<string, DType>();
        foreach (string rule in new[] { "sgd", "momentum", "nesterov-decay", "adagrad-decay", "rmsprop", "rmsprop-momentum-decay", "rmsprop-centered-momentum-decay", "adam-decay", "adam-amsgrad", "adamw", "adamw-amsgrad" })
        {
            data.Add(rule, DType.Float64);
            data.Add(rule, DType.Float32);
        }

        return data;
    }

    private static Optimizer Make(string rule, Parameter p) => rule switch
    {
        "sgd" => new Sgd([p], learningRate: 0.1),
        "momentum" => new Momentum([p], learningRate: 0.1, momentum: 0.9),
        "nesterov-decay" => new Sgd([p], learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1),
        "adagrad-decay" => new AdaGrad([p], learningRate: 0.5, weightDecay: 0.2),
        "rmsprop" => new RmsProp([p], learningRate: 0.1, alpha: 0.9),
        "rmsprop-momentum-decay" => new RmsProp([p], learningRate: 0.1, alpha: 0.99, momentum: 0.8, weightDecay: 0.1),
        "rmsprop-centered-momentum-decay" => new RmsProp([p], learningRate: 0.1, alpha: 0.9, momentum: 0.8, weightDecay: 0.1, centered: true),
        "adam-decay" => new Adam([p], learningRate: 0.1, weightDecay: 0.1),
        "adam-amsgrad" => new Adam([p], learningRate: 0.1, beta2: 0.5, weightDecay: 0.1, amsGrad: true),
        "adamw" => new AdamW([p], learningRate: 0.1),
        "adamw-amsgrad" => new AdamW([p], learningRate: 0.1, beta2: 0.5, amsGrad: true),
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    private static Parameter Tiled(double[] values, int length, DType dtype) =>
        new(Tensor.FromArray([.. Enumerable.Range(0, length).Select(i => values[i % values.Length])], length).To(dtype));

    [Theory]
    [MemberData(nameof(Rules))]
    public void EveryElementFollowsTheSameTrajectoryWhereverItSits(string rule, DType dtype) =>
        FollowsTheThreeElementTrajectory(rule, dtype, Length);

    [Theory]
    [MemberData(nameof(Rules))]
    public void EveryElementFollowsTheSameTrajectoryWhenTheUpdateIsSplitAcrossThreads(string rule, DType dtype)
    {
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 3;
            FollowsTheThreeElementTrajectory(rule, dtype, SplitLength);
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    private static void FollowsTheThreeElementTrajectory(string rule, DType dtype, int length)
    {
        Parameter small = Tiled(Start, Start.Length, dtype), large = Tiled(Start, length, dtype);
        Optimizer reference = Make(rule, small), tiled = Make(rule, large);
        foreach (double[] gradient in Gradients)
        {
            small.Grad = Tiled(gradient, Start.Length, dtype).Detach();
            large.Grad = Tiled(gradient, length, dtype).Detach();
            reference.Step();
            tiled.Step();
            double[] expected = small.ToArray<double>(), actual = large.ToArray<double>();
            for (int i = 0; i < length; i++)
            {
                if (actual[i] != expected[i % Start.Length])
                {
                    actual[i].Should().Be(expected[i % Start.Length], $"{rule} element {i} of {length}");
                }
            }
        }
    }
}
