namespace Kratix.Presentation;

/// <summary>What Test-KratixPromise and Test-KratixRequest report with -Detailed: the object, whether it is valid, every problem and warning.</summary>
public sealed record ValidationReport(string Kind, string Name, string Source, bool IsValid, IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings);
