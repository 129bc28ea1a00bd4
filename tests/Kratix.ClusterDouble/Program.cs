using Kratix.ApiServerDouble;
using Kratix.ClusterDouble;

// TEST ONLY: serves the API server double (with upstream Kratix's CRDs) and the scripted controller stand-in on
// 127.0.0.1 for the Pester suites, until its standard input closes. Usage:
//   Kratix.ClusterDouble <kubeconfig-path> [--no-kratix]
// It writes an admin kubeconfig (context "apiserver-double") to the path, then prints "ready <server-url>".
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Kratix.ClusterDouble <kubeconfig-path> [--no-kratix]");
    return 2;
}

var withKratix = !args.Contains("--no-kratix");
var options = new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(500) };
if (withKratix)
{
    options.WithUpstreamKratixCrds();
}

await using var server = await ApiServerDouble.StartAsync(options);
server.WriteKubeconfig(args[0]);
await using var controller = withKratix ? await KratixControllerDouble.StartAsync(server) : null;
Console.WriteLine("ready " + server.Uri);
Console.Out.Flush();
await Console.In.ReadToEndAsync();
return 0;
