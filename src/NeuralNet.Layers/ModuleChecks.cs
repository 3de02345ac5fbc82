using System.Collections;
using System.Reflection;

namespace NeuralNet.Layers;

/// <summary>
/// Finds the parts a module keeps but forgot to register: a field (or auto-property) holding a
/// <see cref="Parameter"/> or <see cref="Module"/>, or a collection of them, that the module's
/// <see cref="Module.NamedParameters"/> or <see cref="Module.Modules"/> do not reach. Such a part is silently
/// skipped by optimizers built over <see cref="Module.Parameters"/>, by checkpoints and by <see cref="Module.Train"/>.
/// </summary>
/// <remarks>Call <see cref="AssertRegistered"/> in a test of each custom module; checkpoint saves and loads and
/// <see cref="Module.Summary"/> call it too.</remarks>
public static class ModuleChecks
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>
    /// Every unregistered part of <paramref name="module"/> and its descendants, one line each, e.g.
    /// "MyNet._scale holds Parameter(scale, [1], Float32), which MyNet does not register (RegisterParameter)".
    /// </summary>
    /// <param name="module">The module to check.</param>
    /// <returns>The problems; empty when every part is registered.</returns>
    public static IReadOnlyList<string> FindUnregistered(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var problems = new List<string>();
        foreach (Module current in module.Modules)
        {
            var parameters = new HashSet<Parameter>(current.Parameters, ReferenceEqualityComparer.Instance);
            var modules = new HashSet<Module>(current.Modules, ReferenceEqualityComparer.Instance);
            foreach ((string field, object part) in Parts(current))
            {
                bool registered = part is Parameter p ? parameters.Contains(p) : modules.Contains((Module)part);
                if (!registered)
                {
                    string method = part is Parameter ? "RegisterParameter" : "RegisterModule";
                    problems.Add($"{current.GetType().Name}.{field} holds {Describe(part)}, which {current.GetType().Name} does not register ({method}).");
                }
            }
        }

        return problems;
    }

    /// <summary>Throws if <see cref="FindUnregistered"/> finds anything.</summary>
    /// <param name="module">The module to check.</param>
    /// <exception cref="InvalidOperationException">A part is not registered; the message lists every one.</exception>
    public static void AssertRegistered(Module module)
    {
        IReadOnlyList<string> problems = FindUnregistered(module);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"{module.GetType().Name}: {problems.Count} part(s) not registered, so optimizers, checkpoints and Train/Eval would skip them: " +
                string.Join(" ", problems));
        }
    }

    // The Parameter and Module values in the instance fields each subclass declares (the base class's own
    // registration lists are not parts).
    private static IEnumerable<(string Field, object Part)> Parts(Module module)
    {
        for (Type? type = module.GetType(); type is not null && type != typeof(Module); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(InstanceFields))
            {
                if (!MayHoldParts(field.FieldType) || field.GetValue(module) is not { } value)
                {
                    continue;
                }

                IEnumerable values = value is Parameter or Module || value is not IEnumerable many ? new[] { value } : many;
                foreach (object? item in values)
                {
                    if (ValueOf(item) is { } part and (Parameter or Module))
                    {
                        yield return (FieldName(field), part);
                    }
                }
            }
        }
    }

    // Tensor and Module fields, and collections or dictionaries of them; other types are not scanned (nor enumerated).
    private static bool MayHoldParts(Type type) =>
        IsPartType(type) || type.GetInterfaces().Append(type).Any(i =>
            i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>) && IsPartOrEntryType(i.GetGenericArguments()[0]));

    private static bool IsPartType(Type type) => typeof(Tensor).IsAssignableFrom(type) || typeof(Module).IsAssignableFrom(type);

    private static bool IsPartOrEntryType(Type type) => IsPartType(type) || (IsEntry(type) && IsPartType(type.GetGenericArguments()[1]));

    private static bool IsEntry(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>);

    // A dictionary's part is the entry's value.
    private static object? ValueOf(object? item) =>
        item is not null && IsEntry(item.GetType()) ? item.GetType().GetProperty(nameof(KeyValuePair<int, int>.Value))!.GetValue(item) : item;

    // An auto-property's backing field "<Weight>k__BackingField" is reported as the property "Weight".
    private static string FieldName(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.IndexOf('>', StringComparison.Ordinal) is > 1 and int end ? field.Name[1..end] : field.Name;

    private static string Describe(object part) => part is Module module ? $"module {module.GetType().Name}" : part.ToString()!;
}
