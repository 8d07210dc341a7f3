namespace EbpfConsole.Lab.ApiServer;

internal static class Program
{
    private static int Main() => 0;
}
