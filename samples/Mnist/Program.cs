// Trains a 784-256-128-10 ReLU network on MNIST with mini-batch Adam (the same network and settings as the
// TorchSharp anchor's mnist-epoch), reports each epoch, checks the test accuracy, and saves a checkpoint.
// usage: dotnet run --project samples/Mnist -c Release [-- EPOCHS]
using System.Diagnostics;
using System.Globalization;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2;
string data = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "data", "mnist");

var clock = Stopwatch.StartNew();
var (train, test) = Mnist.Load(data);
Console.WriteLine($"MNIST: {train.Count} training and {test.Count} test images of {train.Inputs.Shape[1]} pixels ({clock.Elapsed.TotalSeconds:F1} s to load)");

var model = new Sequential(
    new Dense(784, 256, seed: 1), new ReLU(),
    new Dense(256, 128, seed: 2), new ReLU(),
    new Dense(128, 10, seed: 3));
Console.WriteLine(model);

var optimizer = new Adam(model.Parameters, learningRate: 1e-3);
var options = new FitOptions { Epochs = epochs, BatchSize = 128, Shuffle = true, Seed = 1, Validation = test };
FitResult result = Trainer.Fit(model, optimizer, train, options, progress: new SynchronousProgress<EpochReport>(Console.WriteLine));

var (testLoss, testAccuracy) = Trainer.Evaluate(model, test);
Console.WriteLine($"test loss {testLoss:F4}, test accuracy {testAccuracy:P2} after {result.History.Count} epochs");

string checkpoint = Path.Combine(Path.GetTempPath(), "mnist-mlp.safetensors");
model.Save(checkpoint);
var reloaded = new Sequential(
    new Dense(784, 256, seed: 9), new ReLU(),
    new Dense(256, 128, seed: 9), new ReLU(),
    new Dense(128, 10, seed: 9));
reloaded.Load(checkpoint);
Console.WriteLine($"saved to {checkpoint}; reloaded model's test accuracy {Trainer.Evaluate(reloaded, test).Accuracy:P2}");
