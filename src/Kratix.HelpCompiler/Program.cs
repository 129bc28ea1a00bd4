using Kratix.HelpCompiler;

// Kratix.HelpCompiler <markdown folder> <output folder>: the module build runs it on docs/cmdlets, writing out/Kratix/en-US.
// Errors are printed in MSBuild's canonical format (file(line): error KHELP001: ...), so the build fails on them and
// names the file and line.
if (args.Length != 2)
{
    Console.Error.WriteLine("Usage: Kratix.HelpCompiler <markdown folder> <output folder>");
    return 2;
}

var source = Path.GetFullPath(args[0]);
if (!Directory.Exists(source))
{
    Console.Error.WriteLine($"error KHELP002: The help source folder {source} does not exist.");
    return 2;
}

var result = HelpCompilation.Compile(source, Path.GetFullPath(args[1]));
foreach (var error in result.Errors)
{
    Console.WriteLine(error.ToString());
}

if (!result.Succeeded)
{
    Console.WriteLine($"error KHELP000: {result.Errors.Count} help file(s) in {source} are malformed; docs/cmdlets/README.md describes the layout. Nothing was written.");
    return 1;
}

foreach (var path in result.Written)
{
    Console.WriteLine($"Kratix.HelpCompiler: wrote {path}");
}

return 0;
