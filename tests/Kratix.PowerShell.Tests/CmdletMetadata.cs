using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Reflection;

namespace Kratix.PowerShell.Tests;

/// <summary>One [Parameter] attribute on a property: the set it puts the parameter in and how it binds there.</summary>
internal sealed record ParameterSetDeclaration(string SetName, int? Position, bool Mandatory, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName);

/// <summary>A cmdlet parameter: its property, every set it is declared in, its aliases and whether it takes wildcards.</summary>
internal sealed record CmdletParameter(PropertyInfo Property, IReadOnlyList<ParameterSetDeclaration> Sets, IReadOnlyList<string> Aliases, bool SupportsWildcards)
{
    public string Name => Property.Name;

    public Type Type => Property.PropertyType;

    /// <summary>Declared with no ParameterSetName, so it is in every set.</summary>
    public bool InAllSets => Sets.Any(s => s.SetName == CmdletMetadata.AllParameterSets);

    public bool ValueFromPipelineByPropertyName => Sets.Any(s => s.ValueFromPipelineByPropertyName);

    public override string ToString() => "-" + Name;
}

/// <summary>What PowerShell reads from a cmdlet class when it imports the module: [Cmdlet], [OutputType] and the parameters.</summary>
internal sealed record CmdletDefinition(
    Type Type,
    string Verb,
    string Noun,
    bool SupportsShouldProcess,
    ConfirmImpact ConfirmImpact,
    string? DefaultParameterSetName,
    IReadOnlyList<Type> OutputTypes,
    IReadOnlyList<string> OutputTypeNames,
    IReadOnlyList<CmdletParameter> Parameters)
{
    public string Name => $"{Verb}-{Noun}";

    /// <summary>The named parameter sets; a cmdlet that names none has the one set every parameter is in.</summary>
    public IReadOnlyList<string> ParameterSetNames
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(s => s != CmdletMetadata.AllParameterSets)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return named.Count > 0 ? named : [CmdletMetadata.AllParameterSets];
        }
    }

    /// <summary>The parameters usable in <paramref name="set"/>, each with the declaration that applies there.</summary>
    public IEnumerable<(CmdletParameter Parameter, ParameterSetDeclaration Declaration)> InSet(string set) =>
        Parameters.Select(p => (p, p.Sets.FirstOrDefault(s => s.SetName == set) ?? p.Sets.FirstOrDefault(s => s.SetName == CmdletMetadata.AllParameterSets)))
            .Where(x => x.Item2 is not null)
            .Select(x => (x.p, x.Item2!));

    public CmdletParameter? Parameter(string name) => Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Name;
}

/// <summary>
/// Reads cmdlet metadata from the Kratix.PowerShell assembly. Attributes are read as <see cref="CustomAttributeData"/>,
/// straight from metadata: PowerShellStandard.Library's attribute classes are stubs, so instantiating them would not
/// tell what the cmdlet declares.
/// </summary>
internal static class CmdletMetadata
{
    /// <summary>ParameterAttribute.AllParameterSets: the set name of a parameter declared without one.</summary>
    public const string AllParameterSets = "__AllParameterSets";

    public static Assembly Assembly { get; } = typeof(KratixCmdlet).Assembly;

    /// <summary>Every exported cmdlet: public, non-abstract, with [Cmdlet].</summary>
    public static IReadOnlyList<CmdletDefinition> All { get; } = Assembly.GetExportedTypes()
        .Where(t => t.IsClass && !t.IsAbstract && Attribute<CmdletAttribute>(t) is not null)
        .Select(Read)
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToList();

    public static CmdletDefinition Get(string name) =>
        All.SingleOrDefault(c => c.Name == name) ?? throw new InvalidOperationException($"No cmdlet {name} in {Assembly.GetName().Name}.");

    /// <summary>Cmdlet names as theory data.</summary>
    public static TheoryData<string> Names(Func<CmdletDefinition, bool>? filter = null)
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in All.Where(filter ?? (_ => true)))
        {
            data.Add(cmdlet.Name);
        }

        return data;
    }

    public static CustomAttributeData? Attribute<T>(MemberInfo member) where T : Attribute =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(T));

    public static IEnumerable<CustomAttributeData> Attributes<T>(MemberInfo member) where T : Attribute =>
        member.GetCustomAttributesData().Where(a => a.AttributeType == typeof(T));

    public static object? Named(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value).FirstOrDefault();

    /// <summary>The values of a params-array constructor argument (or of a single one).</summary>
    public static IEnumerable<object?> Values(CustomAttributeTypedArgument argument) =>
        argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> many ? many.Select(a => a.Value) : [argument.Value];

    private static CmdletDefinition Read(Type type)
    {
        var cmdlet = Attribute<CmdletAttribute>(type)!;
        var outputTypes = new List<Type>();
        var outputNames = new List<string>();
        foreach (var output in Attributes<OutputTypeAttribute>(type))
        {
            foreach (var value in output.ConstructorArguments.SelectMany(Values))
            {
                switch (value)
                {
                    case Type t:
                        outputTypes.Add(t);
                        break;
                    case string s:
                        outputNames.Add(s);
                        break;
                }
            }
        }

        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(ReadParameter)
            .OfType<CmdletParameter>()
            .ToList();

        return new CmdletDefinition(
            type,
            (string)cmdlet.ConstructorArguments[0].Value!,
            (string)cmdlet.ConstructorArguments[1].Value!,
            Named(cmdlet, nameof(CmdletAttribute.SupportsShouldProcess)) is true,
            Named(cmdlet, nameof(CmdletAttribute.ConfirmImpact)) is { } impact ? (ConfirmImpact)Enum.ToObject(typeof(ConfirmImpact), impact) : ConfirmImpact.Medium,
            Named(cmdlet, nameof(CmdletAttribute.DefaultParameterSetName)) as string,
            outputTypes,
            outputNames,
            parameters);
    }

    private static CmdletParameter? ReadParameter(PropertyInfo property)
    {
        var declarations = Attributes<ParameterAttribute>(property).Select(a => new ParameterSetDeclaration(
            Named(a, nameof(ParameterAttribute.ParameterSetName)) as string ?? AllParameterSets,
            Named(a, nameof(ParameterAttribute.Position)) is int position && position != int.MinValue ? position : null,
            Named(a, nameof(ParameterAttribute.Mandatory)) is true,
            Named(a, nameof(ParameterAttribute.ValueFromPipeline)) is true,
            Named(a, nameof(ParameterAttribute.ValueFromPipelineByPropertyName)) is true)).ToList();
        if (declarations.Count == 0)
        {
            return null;
        }

        var aliases = Attributes<AliasAttribute>(property).SelectMany(a => a.ConstructorArguments.SelectMany(Values)).OfType<string>().ToList();
        return new CmdletParameter(property, declarations, aliases, Attribute<SupportsWildcardsAttribute>(property) is not null);
    }
}
