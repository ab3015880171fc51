namespace Bulwark.EndToEnd.Tests.Infrastructure;

/// <summary>One node relaying to a real smtp-sink, with the farm-wide block switched off so
/// that refusal tests from 127.0.0.1 do not block each other.</summary>
public sealed class RelayingNodeFixture : IAsyncLifetime
{
    public SmtpSink Sink { get; } = new();
    public BulwarkNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sink.Start();
        Node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Delivery__NextHop__Host"] = "127.0.0.1",
            ["BULWARK_Delivery__NextHop__Port"] = Sink.Port.ToString(),
            ["BULWARK_Reputation__Enabled"] = "false",
            ["BULWARK_Smtp__MaxMessageBytes"] = "65536",
            ["BULWARK_Smtp__MaxRecipients"] = "3",
        });
    }

    public Task DisposeAsync()
    {
        Node.Dispose();
        Sink.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition("relaying node")]
public sealed class RelayingNodeCollection : ICollectionFixture<RelayingNodeFixture>;
