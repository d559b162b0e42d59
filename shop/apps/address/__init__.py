default_app_config = "shop.apps.address.apps.AddressConfig"
