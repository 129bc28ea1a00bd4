using System.Management.Automation;
using Kratix.Objects;
using Kratix.Presentation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// What Get-KratixRequest, Get-KratixWork and Get-KratixWorkPlacement share: they take any Kratix object from the
/// pipeline (-InputObject) and list what relates to it, so `Get-KratixPromise redis | Get-KratixRequest` lists redis's
/// requests and `Get-KratixDestination dev | Get-KratixWorkPlacement` the placements on dev. A piped object of another
/// kind also binds its Name, Promise, Namespace and Destination properties to the parameters of those names, but they
/// describe it, not what is listed, so they are set aside; only values typed on the command line filter further.
/// An object of the kind listed (`Get-KratixRequest | Get-KratixRequest`) or any other object (Import-Csv rows) binds
/// by property name as usual, and a string is a name.
/// </summary>
public abstract class RelatedObjectCmdlet : KratixCmdlet
{
    private HashSet<string> _typed = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A Kratix object whose related objects to list (its Name does not filter them), any object whose Name, Promise and
    /// Namespace properties filter them, or a name.
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    protected override void BeginProcessing()
    {
        // Before any input is bound, the bound parameters are those on the command line.
        _typed = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        base.BeginProcessing();
    }

    /// <summary>Whether a parameter was given on the command line (not bound from a piped object).</summary>
    protected bool Typed(string parameter) => _typed.Contains(parameter);

    /// <summary>The piped Kratix object when it is not of the kind this cmdlet lists (see <see cref="IsListedKind"/>); null otherwise.</summary>
    protected KubeObject? Related()
    {
        if (InputObject?.BaseObject is not KratixObject view)
        {
            return null;
        }

        var obj = new KubeObject(view.GetManifest());
        return IsListedKind(obj) ? null : obj;
    }

    /// <summary>A string piped in: a name to list.</summary>
    protected string[]? PipedNames() => InputObject?.BaseObject is string name ? [name] : null;

    /// <summary>A parameter's value when it was typed on the command line; null when it came from a piped object of another kind.</summary>
    protected T? TypedOrNull<T>(string parameter, T? value) where T : class => Typed(parameter) ? value : null;

    /// <summary>Whether an object is of the kind this cmdlet lists, so that its properties name it.</summary>
    protected abstract bool IsListedKind(KubeObject obj);

    /// <summary>The Kratix objects related to <paramref name="related"/>, as (namespace, name) pairs of WorkPlacements, for intersecting.</summary>
    protected static HashSet<(string?, string)> PlacementKeys(ObjectRelations relations, KubeObject related) =>
        relations.PlacementsOf(related).Select(p => (p.Namespace, p.Name)).ToHashSet();
}
