namespace Kratix.Presentation;

/// <summary>
/// What Test-KratixStateStore reports for one store: whether Kratix can read it and write it, what was checked or what
/// failed (secrets masked), and how long the check took. The check leaves nothing in the store and changes no status.
/// </summary>
public sealed record StateStoreTestResult(string Name, string Kind, bool Read, bool Write, string Message, TimeSpan Duration);
