using System.Collections.ObjectModel;
using System.Globalization;

namespace NeuralNet.Optimizers;

/// <summary>The optimizer's state as a flat dictionary of tensors, for resumable training (PyTorch's <c>state_dict</c>).</summary>
public abstract partial class Optimizer
{
    private const string StepCountKey = "step_count";
    private const string StepName = "step";

    /// <summary>
    /// A copy of the optimizer's state, to save beside the model's parameters and give to
    /// <see cref="LoadStateDict"/> of an optimizer made the same way, which then continues bit for bit.
    /// </summary>
    /// <returns>
    /// <para>Rank-0 <see cref="DType.Float64"/> tensors <c>step_count</c> (<see cref="StepCount"/>),
    /// <c>param_groups.{g}.lr</c> and <c>param_groups.{g}.weight_decay</c> for each group g; and, for each parameter i
    /// (its index in <see cref="Parameters"/>) that has state, <c>state.{i}.{name}</c> with PyTorch's buffer names:
    /// <c>step</c> (rank-0 Float64; AdaGrad, RMSProp, Adam), <c>momentum_buffer</c>, <c>sum</c>, <c>square_avg</c>,
    /// <c>grad_avg</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>, each of the parameter's shape and
    /// dtype.</para>
    /// <para>A parameter that has not been updated yet has no <c>state.{i}.*</c> keys.</para>
    /// </returns>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor> { [StepCountKey] = Tensor.Scalar(StepCount, DType.Float64) };
        for (int g = 0; g < _groups.Length; g++)
        {
            dict[$"param_groups.{g}.lr"] = Tensor.Scalar(_groups[g].LearningRate, DType.Float64);
            dict[$"param_groups.{g}.weight_decay"] = Tensor.Scalar(WeightDecayOf(_groups[g]), DType.Float64);
        }

        if (State is { } table)
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                if (table.Of(_parameters[i]) is not { } state)
                {
                    continue;
                }

                if (table.CountsSteps)
                {
                    dict[$"state.{i}.{StepName}"] = Tensor.Scalar(state.Step, DType.Float64);
                }

                for (int slot = 0; slot < table.SlotNames.Count; slot++)
                {
                    if (table.SlotNames[slot] is { } name)
                    {
                        dict[$"state.{i}.{name}"] = CopyOf(state.Slots[slot]!, _parameters[i].Shape);
                    }
                }
            }
        }

        return new ReadOnlyDictionary<string, Tensor>(dict);
    }

    /// <summary>
    /// Replaces the optimizer's state with <paramref name="state"/>, a <see cref="StateDict"/> of an optimizer of the
    /// same kind, configuration and parameter shapes; the values are copied. Parameters without <c>state.{i}.*</c>
    /// keys start afresh at their next update.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is unknown, missing, names a group or parameter out of range or a
    /// buffer this optimizer does not have (the state of another kind of optimizer); or a tensor is null, of the wrong
    /// shape or dtype, or holds an invalid value. The message names the key, what was expected and what was found;
    /// nothing is changed.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        StateTable? table = State;
        var buffersOf = new SortedDictionary<int, SortedSet<string>>();
        foreach ((string key, Tensor value) in state)
        {
            if (value is null)
            {
                throw Refuse(key, "is null; expected a tensor");
            }

            string[] parts = key.Split('.');
            if (key == StepCountKey)
            {
                CheckCount(key, value);
            }
            else if (parts is ["param_groups", _, "lr" or "weight_decay"])
            {
                IndexIn(key, parts[1], _groups.Length, "group");
                double hyperparameter = ScalarOf(key, value);
                if (!double.IsFinite(hyperparameter) || hyperparameter < 0)
                {
                    throw Refuse(key, $"is {Hyperparameter.Format(hyperparameter)}; expected a non-negative finite value");
                }

                if (parts[2] == "weight_decay" && DefaultWeightDecay is null && hyperparameter != 0)
                {
                    throw Refuse(key, $"is {Hyperparameter.Format(hyperparameter)}; expected 0 ({GetType().Name} has no weight decay)");
                }
            }
            else if (parts is ["state", _, _])
            {
                int i = IndexIn(key, parts[1], _parameters.Length, "parameter");
                CheckBuffer(table, key, parts[2], i, value);
                if (!buffersOf.TryGetValue(i, out SortedSet<string>? names))
                {
                    buffersOf[i] = names = new SortedSet<string>(StringComparer.Ordinal);
                }

                names.Add(parts[2]);
            }
            else
            {
                throw Refuse(key, "is not a key of an optimizer state; expected step_count, param_groups.{g}.lr, "
                    + "param_groups.{g}.weight_decay or state.{i}.{buffer}");
            }
        }

        CheckNothingMissing(state, table, buffersOf);

        // everything is valid: from here on nothing throws
        StepCount = (long)state[StepCountKey].Item();
        for (int g = 0; g < _groups.Length; g++)
        {
            ParameterGroup group = _groups[g];
            group.LearningRate = state[$"param_groups.{g}.lr"].Item();
            double decay = state[$"param_groups.{g}.weight_decay"].Item();
            if (decay != WeightDecayOf(group))
            {
                group.WeightDecay = decay;
            }
        }

        if (table is not null)
        {
            var states = new Dictionary<Parameter, ParameterState>(ReferenceEqualityComparer.Instance);
            foreach (int i in buffersOf.Keys)
            {
                Array?[] slots = [.. table.SlotNames.Select(name => name is null ? null : ValuesOf(state[$"state.{i}.{name}"]))];
                states.Add(_parameters[i], new ParameterState(slots)
                {
                    Step = table.CountsSteps ? (long)state[$"state.{i}.{StepName}"].Item() : 0,
                });
            }

            table.Replace(states);
        }
    }

    /// <summary>The names of the state every updated parameter has under <paramref name="table"/>.</summary>
    private static IEnumerable<string> BufferNames(StateTable table) =>
        (table.CountsSteps ? [StepName] : Array.Empty<string>()).Concat(table.SlotNames.OfType<string>());

    private static Tensor CopyOf(Array values, Shape shape) =>
        (values switch
        {
            float[] f => Tensor.FromSpan<float>(f, [f.Length]),
            _ => Tensor.FromSpan<double>((double[])values, [values.Length]),
        }).Reshape(shape);

    private static Array ValuesOf(Tensor tensor) =>
        tensor.DType == DType.Float32 ? tensor.ToArray<float>() : tensor.ToArray<double>();

    /// <summary>The index <paramref name="text"/> of a key, in its canonical form and in [0, <paramref name="count"/>).</summary>
    private int IndexIn(string key, string text, int count, string what)
    {
        bool parsed = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && index.ToString(CultureInfo.InvariantCulture) == text;
        return parsed && index < count
            ? index
            : throw Refuse(key, $"names {what} {text}; expected a {what} index in [0, {count}) (the optimizer has {count} {what}s)");
    }

    private void CheckBuffer(StateTable? table, string key, string name, int i, Tensor value)
    {
        if (table is null || !BufferNames(table).Contains(name))
        {
            string expected = table is null || !BufferNames(table).Any() ? "no per-parameter state" : $"one of {string.Join(", ", BufferNames(table))}";
            throw Refuse(key, $"is not state of this {GetType().Name}: expected {expected}; found {name}");
        }

        if (name == StepName)
        {
            CheckCount(key, value);
        }
        else if (value.Shape != _parameters[i].Shape || value.DType != _parameters[i].DType)
        {
            throw Refuse(key, $"is {value.Shape} {value.DType}; expected {_parameters[i].Shape} {_parameters[i].DType}, "
                + $"the shape and dtype of parameter {i}");
        }
    }

    private void CheckNothingMissing(IReadOnlyDictionary<string, Tensor> state, StateTable? table, SortedDictionary<int, SortedSet<string>> buffersOf)
    {
        List<string> required = [StepCountKey];
        for (int g = 0; g < _groups.Length; g++)
        {
            required.Add($"param_groups.{g}.lr");
            required.Add($"param_groups.{g}.weight_decay");
        }

        foreach (string key in required)
        {
            if (!state.ContainsKey(key))
            {
                throw Refuse(key, "is missing; expected step_count and the lr and weight_decay of every group");
            }
        }

        foreach ((int i, SortedSet<string> names) in buffersOf)
        {
            foreach (string name in BufferNames(table!))
            {
                if (!names.Contains(name))
                {
                    throw Refuse($"state.{i}.{name}", $"is missing; expected it beside state.{i}.{names.Min}");
                }
            }
        }
    }

    /// <summary>A rank-0 Float64 tensor holding a non-negative whole number (a step count).</summary>
    private void CheckCount(string key, Tensor value)
    {
        double count = ScalarOf(key, value);
        if (!(count >= 0 && count <= long.MaxValue && Math.Floor(count) == count))
        {
            throw Refuse(key, $"is {Hyperparameter.Format(count)}; expected a non-negative whole number");
        }
    }

    private double ScalarOf(string key, Tensor value) =>
        value.Rank == 0 && value.DType == DType.Float64
            ? value.Item()
            : throw Refuse(key, $"is {value.Shape} {value.DType}; expected a rank-0 Float64 tensor");

    private ArgumentException Refuse(string key, string problem) =>
        new($"{GetType().Name}: {key} {problem}.", "state");
}
