namespace EbpfConsole.Cli.Connect;

/// <summary>The connection options cannot work (bad SSH flag or ssh_config line, lab not up); the message is one line.</summary>
internal sealed class ConnectionSetupException : Exception
{
    public ConnectionSetupException()
    {
    }

    public ConnectionSetupException(string message)
        : base(message)
    {
    }

    public ConnectionSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
