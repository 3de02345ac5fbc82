using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Optimizers.Schedules;

namespace NeuralNet;

/// <summary>
/// Everything a run needs to continue after a stop, in one safetensors file: the model's parameters and buffers, the
/// optimizer's state (moments, step counts, each group's hyper-parameters), the schedule's position, every
/// <see cref="Dropout"/>'s draw count, and the epoch. Training resumed from it continues bit for bit as the
/// uninterrupted run would have (PyTorch's recipe of saving <c>model.state_dict()</c>, <c>optimizer.state_dict()</c>,
/// <c>scheduler.state_dict()</c> and the epoch in one file).
/// </summary>
/// <remarks>
/// <para>Keys: <c>model.</c> + the model's state_dict key (<c>model.0.weight</c>, <c>model.1.running_mean</c>),
/// <c>optimizer.</c> + <see cref="Optimizer.StateDict"/>'s keys, <c>schedule.</c> + <see cref="ISchedule.State"/>'s
/// keys, <c>dropout.</c> + the module's path + <c>.draws</c>, and <c>epoch</c>; counts are rank-0 Float64 tensors (exact
/// below 2⁵³). The model part alone loads into PyTorch after stripping the <c>model.</c> prefix.</para>
/// <para>Saving is atomic (a temporary file renamed over the target). Loading validates the whole file against the
/// model, the optimizer and the schedule before anything changes: a checkpoint of another model, another optimizer, or
/// saved with a schedule when none is given (or the reverse) is refused and leaves all three as they were.</para>
/// </remarks>
public static class TrainingCheckpoint
{
    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";
    private const string SchedulePrefix = "schedule.";
    private const string DropoutPrefix = "dropout.";
    private const string DrawsSuffix = ".draws";
    private const string EpochKey = "epoch";

    /// <summary>Saves the state of a run after <paramref name="epoch"/> epochs, atomically.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="model">The model.</param>
    /// <param name="optimizer">The optimizer training it.</param>
    /// <param name="schedule">The learning-rate schedule driving the optimizer, if any.</param>
    /// <param name="epoch">How many epochs are done (≥ 0), returned by <see cref="Load"/> to resume from.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="schedule"/> drives another optimizer.</exception>
    /// <exception cref="InvalidOperationException">The model keeps a parameter or child it does not register.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, Module model, Optimizer optimizer, ISchedule? schedule = null, int epoch = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        RequireDrives(schedule, optimizer);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        tensors.AddRange(Checkpoint.Named(model).Select(entry => Entry(ModelPrefix + entry.Key, entry.Target)));
        tensors.AddRange(optimizer.StateDict().Select(entry => Entry(OptimizerPrefix + entry.Key, entry.Value)));
        if (schedule is not null)
        {
            tensors.AddRange(schedule.State.Select(entry => Entry(SchedulePrefix + entry.Key, Count(entry.Value))));
        }

        tensors.AddRange(Dropouts(model).Select(entry => Entry(DrawsKey(entry.Path), Count(entry.Layer.Draws))));
        tensors.Add(Entry(EpochKey, Count(epoch)));
        Checkpoint.SaveTensors(tensors, path);
    }

    /// <summary>
    /// Restores a run saved by <see cref="Save"/> into <paramref name="model"/>, <paramref name="optimizer"/> and
    /// <paramref name="schedule"/>, built as they were for the saved run, and returns the epoch to continue from.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="model">The model, with the saved run's architecture.</param>
    /// <param name="optimizer">An optimizer of the saved kind over the model's parameters.</param>
    /// <param name="schedule">The schedule, when the saved run had one (and only then).</param>
    /// <returns>The number of epochs done when the checkpoint was saved.</returns>
    /// <exception cref="ArgumentException"><paramref name="schedule"/> drives another optimizer.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, or does not match the model, the optimizer or the
    /// schedule; nothing changes.</exception>
    public static int Load(string path, Module model, Optimizer optimizer, ISchedule? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        RequireDrives(schedule, optimizer);
        (string Key, Tensor Target)[] targets = Checkpoint.Named(model);
        (string Path, Dropout Layer)[] dropouts = Dropouts(model);
        IReadOnlyDictionary<string, Tensor> file = Checkpoint.LoadTensors(path);

        // Check everything the library checks itself before the optimizer and the schedule check their parts.
        var values = new Tensor[targets.Length];
        for (int i = 0; i < targets.Length; i++)
        {
            (string key, Tensor target) = targets[i];
            Tensor value = Require(file, ModelPrefix + key, path);
            if (value.DType != target.DType || value.Shape != target.Shape)
            {
                throw Mismatch(path, $"'{ModelPrefix}{key}' is {value.DType} {value.Shape}; the model's is {target.DType} {target.Shape}");
            }

            values[i] = value;
        }

        long[] draws = [.. dropouts.Select(d => WholeNumber(Require(file, DrawsKey(d.Path), path), DrawsKey(d.Path), path))];
        int epoch = (int)Math.Min(int.MaxValue, WholeNumber(Require(file, EpochKey, path), EpochKey, path));
        var known = new HashSet<string>(targets.Select(t => ModelPrefix + t.Key).Concat(dropouts.Select(d => DrawsKey(d.Path))), StringComparer.Ordinal)
        {
            EpochKey,
        };
        string[] unexpected = [.. file.Keys.Where(k => !known.Contains(k) && !k.StartsWith(OptimizerPrefix, StringComparison.Ordinal) && !k.StartsWith(SchedulePrefix, StringComparison.Ordinal))];
        if (unexpected.Length > 0)
        {
            throw Mismatch(path, $"the model has nothing for [{string.Join(", ", unexpected)}]");
        }

        Dictionary<string, double> scheduleState = file.Where(e => e.Key.StartsWith(SchedulePrefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key[SchedulePrefix.Length..], e => Scalar(e.Value, e.Key, path), StringComparer.Ordinal);
        if ((schedule is null) != (scheduleState.Count == 0))
        {
            throw Mismatch(path, schedule is null
                ? "it holds a schedule's state; pass the schedule to resume it"
                : "it holds no schedule state; it was saved without a schedule");
        }

        Dictionary<string, Tensor> optimizerState = file.Where(e => e.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key[OptimizerPrefix.Length..], e => e.Value, StringComparer.Ordinal);

        // The optimizer and the schedule validate their own state and change nothing when they refuse it; if the
        // schedule refuses, the optimizer's previous state goes back, so that a refused file changes nothing at all.
        IReadOnlyDictionary<string, Tensor>? previous = schedule is null ? null : optimizer.StateDict();
        Restore(() => optimizer.LoadStateDict(optimizerState), path, "the optimizer");
        if (schedule is not null)
        {
            try
            {
                Restore(() => schedule.LoadState(scheduleState), path, "the schedule");
            }
            catch
            {
                optimizer.LoadStateDict(previous!);
                throw;
            }
        }

        for (int i = 0; i < targets.Length; i++)
        {
            Checkpoint.Write(targets[i].Target, values[i]);
        }

        for (int i = 0; i < dropouts.Length; i++)
        {
            dropouts[i].Layer.Draws = draws[i];
        }

        return epoch;
    }

    private static void RequireDrives(ISchedule? schedule, Optimizer optimizer)
    {
        if (schedule is not null && !ReferenceEquals(schedule.Optimizer, optimizer))
        {
            throw new ArgumentException($"TrainingCheckpoint: the {schedule.GetType().Name} drives another optimizer than the one given.", nameof(schedule));
        }
    }

    private static KeyValuePair<string, Tensor> Entry(string key, Tensor value) => new(key, value);

    private static Tensor Count(double value) => Tensor.Scalar(value, DType.Float64);

    private static string DrawsKey(string modulePath) => DropoutPrefix + modulePath + DrawsSuffix;

    private static (string Path, Dropout Layer)[] Dropouts(Module model) =>
        [.. model.NamedModules.Where(m => m.Module is Dropout).Select(m => (m.Name, (Dropout)m.Module))];

    private static Tensor Require(IReadOnlyDictionary<string, Tensor> file, string key, string path) =>
        file.TryGetValue(key, out Tensor? value) ? value : throw Mismatch(path, $"it has no '{key}'");

    private static double Scalar(Tensor value, string key, string path) =>
        value.Rank == 0 && value.DType == DType.Float64
            ? value.Item()
            : throw Mismatch(path, $"'{key}' is {value.DType} {value.Shape}, not a Float64 scalar");

    private static long WholeNumber(Tensor value, string key, string path)
    {
        double number = Scalar(value, key, path);
        return number >= 0 && number <= (1L << 53) && Math.Floor(number) == number
            ? (long)number
            : throw Mismatch(path, $"'{key}' is {number}, not a whole number ≥ 0");
    }

    private static void Restore(Action load, string path, string part)
    {
        try
        {
            load();
        }
        catch (ArgumentException e)
        {
            throw Mismatch(path, $"{part} refuses it: {e.Message}", e);
        }
    }

    private static InvalidDataException Mismatch(string path, string reason, Exception? inner = null) =>
        new($"TrainingCheckpoint: {path} does not match: {reason}. Nothing was changed.", inner);
}
