namespace NeuralNet.Layers;

/// <summary>
/// A layer or model: it maps a tensor to a tensor and owns the parameters and child modules it registers
/// (PyTorch's <c>nn.Module</c>). Everything that walks a model (<see cref="Parameters"/>,
/// <see cref="NamedParameters"/>, <see cref="Children"/>, <see cref="Modules"/>, <see cref="Train"/>,
/// <see cref="Summary"/>, checkpoints) reads that one registration, so they cannot disagree.
/// </summary>
/// <remarks>
/// A subclass calls <see cref="RegisterParameter"/> and <see cref="RegisterModule{T}"/> in its constructor for every
/// part it keeps. A part kept in a field but not registered would be invisible to optimizers and checkpoints:
/// <see cref="ModuleChecks.AssertRegistered"/> finds such fields (call it in a test of each custom module), and
/// checkpoint saves and loads refuse a module that has one.
/// </remarks>
public abstract class Module
{
    private readonly List<(string Name, Parameter Parameter)> _parameters = [];
    private readonly List<(string Name, Module Module)> _children = [];
    private readonly List<(string Name, Tensor Buffer)> _buffers = [];

    /// <summary>
    /// Whether the module is in training mode (PyTorch's <c>training</c>): true from construction until
    /// <see cref="Eval"/> or <c>Train(false)</c>. Layers that act differently at inference (dropout, batch
    /// normalisation) read it.
    /// </summary>
    public bool IsTraining
    {
        get
        {
            // A captured step replays the mode it was captured in: a replay checks that it still holds.
            if (CaptureSession.AnyOpen)
            {
                CaptureSession.Current?.Guard(this, nameof(IsTraining), _isTraining, () => _isTraining);
            }

            return _isTraining;
        }

        private set => _isTraining = value;
    }

    private bool _isTraining = true;

    /// <summary>
    /// Every parameter of this module and its descendants, each once, in the order of <see cref="NamedParameters"/>.
    /// </summary>
    /// <remarks>Computed from the registration on each call; hold on to the list rather than reading it per element.</remarks>
    public IReadOnlyList<Parameter> Parameters
    {
        get
        {
            // The walk of NamedParameters without building the path strings.
            var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
            return [.. Modules.SelectMany(module => module.OwnParameters).Where(seen.Add)];
        }
    }

    /// <summary>
    /// Every parameter with its dotted path (PyTorch's <c>named_parameters</c>, whose paths are the
    /// <c>state_dict</c> keys): the module's own parameters by their registered names ("weight", "bias"), then each
    /// child's, prefixed by the child's name ("0.weight", "2.bias", "block.0.weight"), depth first in
    /// registration order. A parameter reached by two paths (tied weights) appears once, under the first.
    /// </summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters
    {
        get
        {
            var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
            foreach ((string path, Module module) in NamedModules)
            {
                foreach ((string name, Parameter parameter) in module._parameters)
                {
                    if (seen.Add(parameter))
                    {
                        yield return (path.Length == 0 ? name : $"{path}.{name}", parameter);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Every buffer of this module and its descendants with its dotted path (PyTorch's <c>named_buffers</c>):
    /// non-trainable state such as <see cref="BatchNorm1d"/>'s "running_mean", keyed as <see cref="NamedParameters"/>
    /// keys parameters ("0.running_mean"), depth first in registration order. Checkpoints save and load them with the
    /// parameters; optimizers never see them.
    /// </summary>
    /// <remarks>The tensors are the module's own storage, updated in place by the module (and by checkpoint loads):
    /// read them with <see cref="Tensor.Values{T}"/>, copy them (<see cref="Tensor.ToArray{T}"/>) to keep a value.</remarks>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers
    {
        get
        {
            var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            foreach ((string path, Module module) in NamedModules)
            {
                foreach ((string name, Tensor buffer) in module._buffers)
                {
                    if (seen.Add(buffer))
                    {
                        yield return (path.Length == 0 ? name : $"{path}.{name}", buffer);
                    }
                }
            }
        }
    }

    /// <summary>The buffers registered on this module itself, not on its children.</summary>
    internal IEnumerable<Tensor> OwnBuffers => _buffers.Select(own => own.Buffer);

    /// <summary>The parameters registered on this module itself, not on its children.</summary>
    internal IEnumerable<Parameter> OwnParameters => _parameters.Select(own => own.Parameter);

    /// <summary>The direct child modules, in registration order (PyTorch's <c>children</c>).</summary>
    public IEnumerable<Module> Children => _children.Select(child => child.Module);

    /// <summary>The direct child modules with their registered names ("0", "1", … in a <see cref="Sequential"/>).</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren => _children.AsReadOnly();

    /// <summary>
    /// Calls <paramref name="visit"/> on every module of the tree, each once, children before their parent (PyTorch's
    /// <c>module.apply(fn)</c>, e.g. to initialise weights), and returns this module.
    /// </summary>
    /// <param name="visit">The function to call on each module.</param>
    /// <returns>This module, for chaining.</returns>
    public Module Apply(Action<Module> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        Visit(this, visit, new HashSet<Module>(ReferenceEqualityComparer.Instance));
        return this;

        static void Visit(Module module, Action<Module> visit, HashSet<Module> seen)
        {
            if (!seen.Add(module))
            {
                return;
            }

            foreach ((_, Module child) in module.NamedChildren)
            {
                Visit(child, visit, seen);
            }

            visit(module);
        }
    }

    /// <summary>This module and every descendant, each once, depth first in registration order (PyTorch's <c>modules</c>).</summary>
    public IEnumerable<Module> Modules => NamedModules.Select(named => named.Module);

    /// <summary>
    /// This module (path "") and every descendant with its dotted path ("0", "block.1"), each once, depth first
    /// in registration order (PyTorch's <c>named_modules</c>).
    /// </summary>
    public IEnumerable<(string Name, Module Module)> NamedModules
    {
        get
        {
            var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
            var pending = new Stack<(string Path, Module Module)>();
            pending.Push((string.Empty, this));
            while (pending.Count > 0)
            {
                (string path, Module module) = pending.Pop();
                if (!seen.Add(module))
                {
                    continue;
                }

                yield return (path, module);

                // Pushed in reverse so that the first child is visited first.
                for (int i = module._children.Count - 1; i >= 0; i--)
                {
                    (string name, Module child) = module._children[i];
                    pending.Push((path.Length == 0 ? name : $"{path}.{name}", child));
                }
            }
        }
    }

    /// <summary>Applies the module to <paramref name="input"/>.</summary>
    /// <remarks>Override this; call a child through <see cref="Call"/> so that <see cref="Summary"/> sees its output.</remarks>
    public abstract Tensor Forward(Tensor input);

    /// <summary>
    /// Runs <see cref="Forward"/> and reports its output to a <see cref="Summary"/> in progress (PyTorch's
    /// <c>module(x)</c>, which runs forward hooks around <c>forward</c>). Containers call their children this way.
    /// </summary>
    /// <param name="input">The input.</param>
    /// <returns>What <see cref="Forward"/> returns.</returns>
    public Tensor Call(Tensor input)
    {
        Tensor output = Forward(input);
        ModuleSummary.Observe(this, output);
        return output;
    }

    /// <summary>
    /// Sets training mode on this module and every descendant (PyTorch's <c>train(mode)</c>).
    /// </summary>
    /// <param name="mode">True for training, false for evaluation.</param>
    /// <returns>This module, for chaining.</returns>
    public Module Train(bool mode = true)
    {
        foreach (Module module in Modules)
        {
            module.IsTraining = mode;
        }

        return this;
    }

    /// <summary>Sets evaluation mode on this module and every descendant: <c>Train(false)</c> (PyTorch's <c>eval()</c>).</summary>
    /// <returns>This module, for chaining.</returns>
    public Module Eval() => Train(false);

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter parameter in Parameters)
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>
    /// A table of every module (path, type, output shape for <paramref name="sampleInput"/>, parameter count) and
    /// the totals, trainable and not, like Keras's <c>summary()</c>. Non-trainable counts the parameters with
    /// <see cref="Parameter.RequiresGrad"/> false and every buffer element (<see cref="NamedBuffers"/>), as Keras counts
    /// batch normalisation's moving mean and variance.
    /// </summary>
    /// <param name="sampleInput">An input the module accepts, e.g. one batch row [1, 784]; it is run once without gradients,
    /// in evaluation mode (so no running statistics change), and every module's mode is restored after.</param>
    /// <returns>The table, one line per module; a module's count is of its own parameters and buffers, so the column sums to the total.</returns>
    /// <remarks>An output shape shows "?" for a module whose parent called its <see cref="Forward"/> rather than <see cref="Call"/>.</remarks>
    /// <exception cref="InvalidOperationException">A field holds a parameter or module that is not registered.</exception>
    public string Summary(Tensor sampleInput)
    {
        ArgumentNullException.ThrowIfNull(sampleInput);
        ModuleChecks.AssertRegistered(this);
        return ModuleSummary.Build(this, sampleInput);
    }

    /// <summary>
    /// The type and, one line each, the registered children by name, in PyTorch's style:
    /// <c>Sequential(\n  (0): Dense(in=784, out=256, bias=true)\n  (1): ReLU()\n)</c>, or <c>ReLU()</c> without children.
    /// </summary>
    public override string ToString() => _children.Count == 0
        ? $"{GetType().Name}()"
        : $"{GetType().Name}(\n" + string.Concat(_children.Select(c => $"  ({c.Name}): {c.Module.ToString()?.Replace("\n", "\n  ", StringComparison.Ordinal)}\n")) + ")";

    /// <summary>
    /// Registers <paramref name="parameter"/> as one of this module's own parameters under <paramref name="name"/>
    /// (PyTorch's <c>register_parameter</c>); call it once per parameter, in the constructor.
    /// </summary>
    /// <param name="name">The parameter's key in <see cref="NamedParameters"/>: not empty, no '.', unique in this module.</param>
    /// <param name="parameter">The parameter.</param>
    /// <returns><paramref name="parameter"/>, so that a field can be assigned in the same line.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains '.', or is taken by a parameter, buffer or child.</exception>
    protected Parameter RegisterParameter(string name, Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckName(nameof(RegisterParameter), "parameter", name);
        _parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>
    /// Registers <paramref name="module"/> as a child under <paramref name="name"/> (PyTorch's
    /// <c>register_module</c>); call it once per child, in the constructor. One module may be registered under
    /// several names or in several parents: walks visit it once.
    /// </summary>
    /// <typeparam name="T">The child's type, kept for the returned reference.</typeparam>
    /// <param name="name">The child's path segment: not empty, no '.', unique in this module.</param>
    /// <param name="module">The child.</param>
    /// <returns><paramref name="module"/>, so that a field can be assigned in the same line.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains '.', or is taken, or the child contains this module.</exception>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName("RegisterModule", "module", name);
        if (module.Modules.Contains(this, ReferenceEqualityComparer.Instance))
        {
            throw new ArgumentException($"{GetType().Name}.RegisterModule: child '{name}' ({module.GetType().Name}) contains this module, which would make a cycle.", nameof(module));
        }

        _children.Add((name, module));
        return module;
    }

    /// <summary>
    /// Registers a buffer, non-trainable state saved in checkpoints (PyTorch's <c>register_buffer</c> with
    /// <c>persistent=True</c>), initialised with a copy of <paramref name="value"/>; call it once per buffer, in the constructor.
    /// </summary>
    /// <param name="name">The buffer's key in <see cref="NamedBuffers"/>: not empty, no '.', unique in this module.</param>
    /// <param name="value">The initial value; it is copied, never written.</param>
    /// <returns>The buffer: the module's own tensor, which <see cref="AssignBuffer"/> and checkpoint loads write in place.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains '.', or is taken.</exception>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(nameof(RegisterBuffer), "buffer", name);

        // A fresh array in a versioned storage: no tape's pool can reclaim it, and a tape that saved the buffer (an
        // eval-mode forward) sees an in-place update as a version change, as it does for a parameter.
        var buffer = new Tensor(new Storage((Array)value.Data.Clone()), value.Shape);
        _buffers.Add((name, buffer));
        return buffer;
    }

    /// <summary>Copies <paramref name="value"/>'s values into the buffer registered as <paramref name="name"/>, in place
    /// (PyTorch's <c>buffer.copy_(value)</c>). Call it under <see cref="Autodiff.NoGrad"/>: a buffer is not differentiated.</summary>
    /// <param name="name">The buffer's registered name.</param>
    /// <param name="value">The new value, of the buffer's shape and dtype; only its values are read.</param>
    /// <exception cref="ArgumentException">No buffer has that name, or the shape or dtype differs.</exception>
    protected void AssignBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int index = _buffers.FindIndex(b => b.Name == name);
        if (index < 0)
        {
            throw new ArgumentException($"{GetType().Name}.{nameof(AssignBuffer)}: no buffer is registered as '{name}'.", nameof(name));
        }

        Tensor buffer = _buffers[index].Buffer;
        if (value.Shape != buffer.Shape || value.DType != buffer.DType)
        {
            throw new ArgumentException(
                $"{GetType().Name}.{nameof(AssignBuffer)}: value {value.Shape} {value.DType} does not match buffer '{name}' {buffer.Shape} {buffer.DType}.", nameof(value));
        }

        if (CaptureSession.Current is { } capture)
        {
            WriteAtEveryReplay(buffer, capture.Keep(value));
            return;
        }

        WriteBuffer(buffer, value);
    }

    /// <summary>A captured step (batch norm's running statistics) copies again at every replay; a method of its own, so
    /// that an ordinary call makes no closure.</summary>
    private static void WriteAtEveryReplay(Tensor buffer, Tensor value) => CaptureSession.RunRecorded(() => WriteBuffer(buffer, value));

    /// <summary>Copies <paramref name="value"/>'s values into <paramref name="buffer"/>'s storage and bumps its version.</summary>
    internal static void WriteBuffer(Tensor buffer, Tensor value)
    {
        Array.Copy(value.Data, buffer.Data, buffer.Size);
        buffer.Storage!.MarkWritten();
    }

    // A '.' would make paths ambiguous ("a.b" as a name or as child a's b), as in PyTorch.
    private void CheckName(string method, string kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrWhiteSpace(name) || name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{GetType().Name}.{method}: '{name}' is not a valid {kind} name (it must be non-empty and contain no '.').", nameof(name));
        }

        if (_parameters.Exists(p => p.Name == name) || _children.Exists(c => c.Name == name) || _buffers.Exists(b => b.Name == name))
        {
            throw new ArgumentException($"{GetType().Name}.{method}: the name '{name}' is already registered in this module.", nameof(name));
        }
    }
}
