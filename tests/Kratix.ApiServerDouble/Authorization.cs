using System.Collections.Concurrent;

namespace Kratix.ApiServerDouble;

/// <summary>
/// One allowance, in the shape of an RBAC PolicyRule: verbs on resources (<c>secrets</c>, <c>pods/log</c>,
/// <c>promises/status</c>, or <c>*</c>) in API groups (<c>""</c> is the core group, <c>*</c> any), optionally only in some
/// namespaces (null: every namespace and the cluster scope).
/// </summary>
public sealed record AccessRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string>? ApiGroups = null,
    IReadOnlyList<string>? Namespaces = null)
{
    internal bool Allows(string verb, string group, string resource, string subresource, string? ns)
    {
        string full = subresource.Length == 0 ? resource : resource + "/" + subresource;
        return (Verbs.Contains("*") || Verbs.Contains(verb))
            && (ApiGroups is null || ApiGroups.Contains("*") || ApiGroups.Contains(group))
            && (Resources.Contains("*") || Resources.Contains(full) || (subresource.Length > 0 && Resources.Contains(resource + "/*")))
            && (Namespaces is null || (ns is not null && Namespaces.Contains(ns)));
    }
}

/// <summary>
/// A small RBAC: members of <c>system:masters</c> may do anything; every other user may do only what its
/// <see cref="AccessRule"/>s allow (deny by default), so that a backend's 403 handling can be tested.
/// </summary>
public sealed class Authorization
{
    private readonly ConcurrentDictionary<string, List<AccessRule>> rules = new(StringComparer.Ordinal);

    /// <summary>Gives <paramref name="user"/> what <paramref name="rule"/> allows, on top of what it had.</summary>
    public void Allow(string user, AccessRule rule)
    {
        var list = rules.GetOrAdd(user, _ => []);
        lock (list)
        {
            list.Add(rule);
        }
    }

    /// <summary>Takes every allowance from <paramref name="user"/>.</summary>
    public void Revoke(string user) => rules.TryRemove(user, out _);

    internal bool IsAllowed(ApiUser user, string verb, string group, string resource, string subresource, string? ns)
    {
        if (user.Groups.Contains("system:masters"))
        {
            return true;
        }

        if (!rules.TryGetValue(user.Name, out var list))
        {
            return false;
        }

        lock (list)
        {
            return list.Any(r => r.Allows(verb, group, resource, subresource, ns));
        }
    }
}
